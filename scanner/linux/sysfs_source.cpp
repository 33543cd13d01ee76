#include "scanner/linux/sysfs_source.hpp"

#include <spdlog/spdlog.h>

#include <map>

#include <set>
#include "common/error.hpp"

#include "common/text.hpp"
#include "scanner/device_class.hpp"
#include "scanner/id_database.hpp"
#include "scanner/linux/machine_info_linux.hpp"
#include "scanner/linux/sysfs_buses.hpp"
#include "scanner/linux/sysfs_walk.hpp"

namespace drvaudit {

namespace fs = std::filesystem;
using sysfs::Node;

namespace {

struct Found {
  Node node;
  sysfs::Identity identity;
};

std::string read_first_line(const fs::path& file) {
  auto value = Node(fs::path(), file.parent_path()).attr(file.filename().string());
  if (!value) return {};
  return std::string(text::trim(text::split(*value, '\n')[0]));
}

class DriverReader {
 public:
  DriverReader(fs::path root, std::string kernel_release)
      : root_(std::move(root)), kernel_release_(std::move(kernel_release)) {}

  std::optional<InstalledDriver> read(const Node& node, const std::string& subsystem) const {
    std::string name = node.uevent_value("DRIVER").value_or("");
    if (name.empty()) name = node.link_basename("driver").value_or("");
    if (name.empty()) return std::nullopt;

    InstalledDriver driver;
    driver.service = name;
    driver.provider = "Linux kernel";
    driver.module = module_of(node, subsystem, name);
    const fs::path module_dir = root_ / "module" / driver.module;
    std::error_code ec;
    const bool loadable = !driver.module.empty() && fs::exists(module_dir / "initstate", ec);
    if (loadable) {
      driver.version = read_first_line(module_dir / "version");
      if (driver.version.empty()) driver.version = read_first_line(module_dir / "srcversion");
      // Taint flags: O out-of-tree, P proprietary, E unsigned (kernel admin-guide/tainted-kernels).
      const auto taint = read_first_line(module_dir / "taint");
      if (taint.find('O') != std::string::npos || taint.find('P') != std::string::npos)
        driver.provider = "out-of-tree module";
      if (taint.find('E') != std::string::npos) driver.signer = "unsigned";
    } else {
      // Built into the kernel image: updated with the kernel, so its version is the kernel's.
      // A built-in driver may still have a /sys/module entry (for its parameters): not a module.
      driver.module.clear();
      driver.version = kernel_release_;
    }
    return driver;
  }

 private:
  std::string module_of(const Node& node, const std::string& subsystem, const std::string& driver_name) const {
    std::error_code ec;
    // Live sysfs: the driver link leads to the driver, whose "module" link names the module.
    auto target = fs::read_symlink(node.dir() / "driver" / "module", ec);
    if (!ec) return target.filename().string();
    target = fs::read_symlink(root_ / "bus" / subsystem / "drivers" / driver_name / "module", ec);
    if (!ec) return target.filename().string();
    return {};
  }

  fs::path root_;
  std::string kernel_release_;
};

std::string hex4(std::uint16_t v) { return text::hex(v, 4); }

void apply_names(std::vector<Found>& found, const SysfsOptions& options) {
  std::set<std::pair<std::uint16_t, std::uint16_t>> pci_wanted, usb_wanted;
  for (const auto& f : found) {
    if (f.identity.pci_key) pci_wanted.insert(*f.identity.pci_key);
    if (f.identity.usb_key) usb_wanted.insert(*f.identity.usb_key);
  }
  IdDatabase pci_db, usb_db;
  if (!pci_wanted.empty())
    pci_db = IdDatabase::load(options.pci_ids.empty() ? find_id_file("pci.ids") : options.pci_ids, pci_wanted);
  if (!usb_wanted.empty())
    usb_db = IdDatabase::load(options.usb_ids.empty() ? find_id_file("usb.ids") : options.usb_ids, usb_wanted);

  for (auto& f : found) {
    auto& id = f.identity;
    const IdDatabase* db = id.pci_key ? &pci_db : (id.usb_key ? &usb_db : nullptr);
    const auto key = id.pci_key ? id.pci_key : id.usb_key;
    if (db && key) {
      if (id.manufacturer.empty()) id.manufacturer = db->vendor(key->first).value_or("");
      if (id.description.empty()) id.description = db->device(key->first, key->second).value_or("");
      if (id.description.empty()) id.description = id.bus + " device " + hex4(key->first) + ":" + hex4(key->second);
    }
    if (id.description.empty())
      id.description = id.ids.hardware_ids.empty() ? f.node.name() : id.ids.hardware_ids.front();
  }
}

// An ACPI node whose physical device is listed is the same Windows device: keep the physical one,
// which carries the bound driver.
void drop_acpi_companions(std::vector<Found>& found) {
  std::set<std::string> listed;
  for (const auto& f : found) listed.insert(f.node.relative_path());
  std::erase_if(found, [&](const Found& f) {
    if (sysfs::subsystem_of(f.node) != "acpi") return false;
    auto target = f.node.link_target("physical_node");
    if (!target) return false;
    const auto physical = (fs::path(f.node.relative_path()) / *target).lexically_normal().generic_string();
    return listed.count(physical) > 0;
  });
}

std::string nearest_listed_ancestor(std::string path, const std::set<std::string>& listed) {
  while (true) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) return {};
    path.resize(slash);
    if (listed.count(path)) return path;
  }
}

}  // namespace

SysfsSource::SysfsSource(SysfsOptions options) : options_(std::move(options)) {}

Inventory SysfsSource::scan() {
  const fs::path root = options_.root;
  std::error_code ec;
  if (!fs::is_directory(root / "devices", ec)) {
    throw Error("not a sysfs tree: " + root.string() + " has no devices/ folder");
  }
  std::string kernel_release = options_.kernel_release;
  if (kernel_release.empty())
    kernel_release = read_first_line(root.parent_path() / "proc" / "sys" / "kernel" / "osrelease");

  const auto dirs = sysfs::find_device_dirs(root);
  std::map<std::string, fs::path> by_path;
  for (const auto& dir : dirs) by_path.emplace(Node(root, dir).relative_path(), dir);
  const sysfs::NodeLookup lookup = [&](const std::string& rel) -> std::optional<Node> {
    if (auto it = by_path.find(rel); it != by_path.end()) return Node(root, it->second);
    return std::nullopt;
  };

  std::vector<Found> found;
  for (const auto& dir : dirs) {
    Node node(root, dir);
    if (auto identity = sysfs::identify(node, lookup)) found.push_back({node, std::move(*identity)});
  }
  drop_acpi_companions(found);
  apply_names(found, options_);

  std::set<std::string> listed;
  for (const auto& f : found) listed.insert(f.node.relative_path());

  const DriverReader drivers(root, kernel_release);
  Inventory inventory;
  inventory.machine = linux_machine_info("sysfs:" + root.string());
  for (auto& f : found) {
    auto& id = f.identity;
    Device d;
    d.instance_id = f.node.relative_path();
    d.parent_id = nearest_listed_ancestor(d.instance_id, listed);
    d.bus = id.bus;
    d.class_name = id.class_name;
    d.class_guid = std::string(devclass::guid_for(id.class_name));
    d.description = id.description;
    d.manufacturer = id.manufacturer;
    d.location = id.location;
    d.hardware_ids = std::move(id.ids.hardware_ids);
    d.compatible_ids = std::move(id.ids.compatible_ids);
    d.firmware_version = id.firmware_version;
    d.modalias = sysfs::modalias_of(f.node);
    // A single-interface USB device is bound to the generic "usb" driver; its function driver
    // sits on the interface and is what Windows would show (or nothing, when the interface is unbound).
    const Node& driver_node = id.driver_node ? *id.driver_node : f.node;
    d.driver = drivers.read(driver_node, sysfs::subsystem_of(driver_node));
    inventory.devices.push_back(std::move(d));
  }
  spdlog::info("sysfs: {} device folders, {} devices listed from {}", dirs.size(), inventory.devices.size(),
               root.string());
  return inventory;
}

}  // namespace drvaudit
