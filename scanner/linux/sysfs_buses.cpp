#include "scanner/linux/sysfs_buses.hpp"

#include <algorithm>
#include <array>
#include <filesystem>

#include "common/text.hpp"
#include "scanner/device_class.hpp"
#include "scanner/hid_report.hpp"
#include "scanner/pnp_names.hpp"

namespace drvaudit::sysfs {

namespace fs = std::filesystem;
using text::hex;

namespace {

std::string parent_path_of(const std::string& rel) {
  const auto slash = rel.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string() : rel.substr(0, slash);
}

std::uint8_t u8(std::optional<std::uint32_t> v) { return static_cast<std::uint8_t>(v.value_or(0)); }
std::uint16_t u16(std::optional<std::uint32_t> v) { return static_cast<std::uint16_t>(v.value_or(0)); }

// "8086:06ED" → {0x8086, 0x06ED}
std::optional<std::pair<std::uint16_t, std::uint16_t>> id_pair(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  const auto parts = text::split(*s, ':');
  if (parts.size() != 2) return std::nullopt;
  auto a = text::parse_hex(parts[0], 0xFFFF), b = text::parse_hex(parts[1], 0xFFFF);
  if (!a || !b) return std::nullopt;
  return std::pair{static_cast<std::uint16_t>(*a), static_cast<std::uint16_t>(*b)};
}

// The PCI Express capability's device/port type, from config space: the status word, the
// capability pointer, then 4 bytes per capability. Root reads all of config space; other users
// only the first 64 bytes, which end before the capability list.
std::optional<std::uint16_t> pcie_device_type(const Node& node) {
  auto byte_at = [&](std::size_t offset) -> std::optional<std::uint8_t> {
    auto b = node.binary_range("config", offset, 1);
    if (!b || b->size() != 1) return std::nullopt;
    return static_cast<std::uint8_t>((*b)[0]);
  };
  const auto status = byte_at(0x06);
  if (!status || !(*status & 0x10)) return std::nullopt;  // no capability list
  auto pointer = byte_at(0x34);
  for (int hops = 0; pointer && (*pointer & 0xFC) >= 0x40 && hops < 48; ++hops) {
    const auto cap = node.binary_range("config", *pointer & 0xFC, 4);
    if (!cap || cap->size() != 4) return std::nullopt;
    if (static_cast<std::uint8_t>((*cap)[0]) == 0x10) {
      return static_cast<std::uint16_t>((static_cast<std::uint8_t>((*cap)[2]) >> 4) & 0x0F);
    }
    pointer = static_cast<std::uint8_t>((*cap)[1]);
  }
  return std::nullopt;
}

// "0000:00:14.0" (or "0000_00_14.0" in recorded trees) → "PCI bus 0, device 20, function 0"
std::string pci_location(const std::string& slot) {
  std::string s = slot;
  std::replace(s.begin(), s.end(), '_', ':');
  const auto parts = text::split(s, ':');
  if (parts.size() != 3) return {};
  const auto dev_fn = text::split(parts[2], '.');
  if (dev_fn.size() != 2) return {};
  auto bus = text::parse_hex(parts[1]), dev = text::parse_hex(dev_fn[0]), fn = text::parse_hex(dev_fn[1]);
  if (!bus || !dev || !fn) return {};
  return "PCI bus " + std::to_string(*bus) + ", device " + std::to_string(*dev) + ", function " + std::to_string(*fn);
}

Identity pci_identity(const Node& node) {
  Identity out;
  auto id = read_pci_identity(node).value_or(winids::PciIdentity{});
  out.bus = "PCI";
  out.ids = winids::pci(id);
  out.class_name = std::string(devclass::for_pci(id.class_code).name);
  out.pci_key = std::pair{id.vendor, id.device};
  out.location = pci_location(node.uevent_value("PCI_SLOT_NAME").value_or(node.name()));
  // NVMe controllers show their firmware revision on the nvme class device below them.
  std::error_code ec;
  for (const auto& child : fs::directory_iterator(node.dir() / "nvme", ec)) {
    if (auto rev = Node(fs::path(), child.path()).attr("firmware_rev")) out.firmware_version = *rev;
  }
  return out;
}

winids::UsbDescriptor read_usb_descriptor(const Node& node) {
  winids::UsbDescriptor d;
  d.vendor = u16(node.hex_attr("idVendor", 0xFFFF));
  d.product = u16(node.hex_attr("idProduct", 0xFFFF));
  d.bcd_device = u16(node.hex_attr("bcdDevice", 0xFFFF));
  d.device_class = u8(node.hex_attr("bDeviceClass", 0xFF));
  d.device_subclass = u8(node.hex_attr("bDeviceSubClass", 0xFF));
  d.device_protocol = u8(node.hex_attr("bDeviceProtocol", 0xFF));
  if (auto n = node.attr("bNumInterfaces"); n && text::parse_decimal(*n, 255)) {
    d.num_interfaces = static_cast<std::uint8_t>(*text::parse_decimal(*n, 255));
  } else if (auto desc = node.binary_attr("descriptors", 64);
             desc && desc->size() >= 18 + 9 && static_cast<std::uint8_t>((*desc)[19]) == 0x02) {
    d.num_interfaces = static_cast<std::uint8_t>((*desc)[22]);  // configuration descriptor, bNumInterfaces
  }
  return d;
}

winids::UsbInterface read_usb_interface(const Node& node) {
  winids::UsbInterface i;
  i.number = u8(node.hex_attr("bInterfaceNumber", 0xFF));
  i.interface_class = u8(node.hex_attr("bInterfaceClass", 0xFF));
  i.interface_subclass = u8(node.hex_attr("bInterfaceSubClass", 0xFF));
  i.interface_protocol = u8(node.hex_attr("bInterfaceProtocol", 0xFF));
  return i;
}

std::vector<Node> usb_interfaces_of(const Node& device) {
  std::vector<Node> out;
  std::error_code ec;
  for (const auto& child : fs::directory_iterator(device.dir(), ec)) {
    std::error_code type_ec;
    if (child.is_symlink(type_ec) || !child.is_directory(type_ec)) continue;
    Node n(fs::path(), child.path());
    if (n.uevent_value("DEVTYPE") == "usb_interface") out.push_back(n);
  }
  std::sort(out.begin(), out.end(), [](const Node& a, const Node& b) { return a.name() < b.name(); });
  return out;
}

std::optional<Identity> usb_device_identity(const Node& node, const NodeLookup& lookup) {
  Identity out;
  out.bus = "USB";
  const auto d = read_usb_descriptor(node);
  out.location = "Port " + node.attr("devpath").value_or(node.name());
  constexpr std::uint16_t kLinuxFoundation = 0x1D6B;
  if (d.vendor == kLinuxFoundation && d.product <= 3) {
    // A Linux root hub: Windows names the root hub after its host controller.
    winids::PciIdentity controller;
    if (auto parent = lookup(parent_path_of(node.relative_path()))) {
      controller = read_pci_identity(*parent).value_or(controller);
    }
    out.ids = winids::usb_root_hub(controller);
    out.class_name = "USB";
    out.description = (controller.class_code & 0xFF) == 0x30 ? "USB Root Hub (USB 3.0)" : "USB Root Hub";
    out.location.clear();
    const auto hub_interfaces = usb_interfaces_of(node);
    if (!hub_interfaces.empty()) out.driver_node = hub_interfaces.front();
    return out;
  }
  const auto interfaces = usb_interfaces_of(node);
  std::optional<winids::UsbInterface> only;
  if (!winids::usb_is_composite(d) && !interfaces.empty()) {
    only = read_usb_interface(interfaces.front());
    out.driver_node = interfaces.front();
  }
  out.ids = winids::usb_device(d, only);
  if (winids::usb_is_composite(d)) {
    out.class_name = "USB";
    out.description = "USB Composite Device";
  } else if (d.device_class == 0 && only) {
    out.class_name =
        std::string(devclass::for_usb(only->interface_class, only->interface_subclass, only->interface_protocol).name);
  } else {
    out.class_name = std::string(devclass::for_usb(d.device_class, d.device_subclass, d.device_protocol).name);
  }
  out.usb_key = std::pair{d.vendor, d.product};
  if (auto product = node.attr("product")) out.description = out.description.empty() ? *product : out.description;
  if (auto maker = node.attr("manufacturer")) out.manufacturer = *maker;
  return out;
}

// The names Windows' inbox INFs give to common interface classes.
std::string usb_interface_name(std::uint8_t interface_class) {
  switch (interface_class) {
    case 0x01: return "USB Audio Device";
    case 0x02: return "USB Serial Device";
    case 0x03: return "USB Input Device";
    case 0x07: return "USB Printing Support";
    case 0x08: return "USB Mass Storage Device";
    case 0x0E: return "USB Video Device";
    case 0xE0: return "Wireless Controller";
    default: return {};
  }
}

std::optional<Identity> usb_interface_identity(const Node& node, const NodeLookup& lookup) {
  auto parent = lookup(parent_path_of(node.relative_path()));
  if (!parent) return std::nullopt;
  const auto d = read_usb_descriptor(*parent);
  // Interfaces of a single-interface device are the device itself on Windows.
  if (!winids::usb_is_composite(d)) return std::nullopt;
  const auto intf = read_usb_interface(node);
  Identity out;
  out.bus = "USB";
  out.ids = winids::usb_interface(d, intf);
  out.class_name =
      std::string(devclass::for_usb(intf.interface_class, intf.interface_subclass, intf.interface_protocol).name);
  out.usb_key = std::pair{d.vendor, d.product};
  out.location = "Interface " + std::to_string(intf.number);
  if (auto name = node.attr("interface")) out.description = *name;
  if (out.description.empty()) out.description = usb_interface_name(intf.interface_class);
  return out;
}

Identity hid_identity(const Node& node, const NodeLookup& lookup) {
  winids::HidIdentity id;
  // modalias hid:bBBBBgGGGGvVVVVVVVVpPPPPPPPP
  const std::string alias = modalias_of(node);
  std::uint32_t bus_type = 0;
  if (alias.size() >= 32 && alias.rfind("hid:b", 0) == 0) {
    bus_type = text::parse_hex(alias.substr(5, 4)).value_or(0);
    id.vendor = static_cast<std::uint16_t>(text::parse_hex(alias.substr(15, 8)).value_or(0));
    id.product = static_cast<std::uint16_t>(text::parse_hex(alias.substr(24, 8)).value_or(0));
  }
  constexpr std::uint32_t kBusUsb = 0x0003;
  if (bus_type == kBusUsb) {
    const auto intf_path = parent_path_of(node.relative_path());
    auto intf = lookup(intf_path);
    auto dev = lookup(parent_path_of(intf_path));
    if (intf && dev) {
      const auto d = read_usb_descriptor(*dev);
      id.revision = d.bcd_device;
      if (winids::usb_is_composite(d)) id.interface_number = read_usb_interface(*intf).number;
    }
  }
  if (auto report = node.binary_attr("report_descriptor")) {
    const auto collections = hidreport::top_level_collections(*report);
    if (!collections.empty()) id.collection = collections.front();
    if (collections.size() > 1) id.collection_index = 1;
  }
  Identity out;
  out.bus = "HID";
  out.ids = winids::hid(id);
  out.class_name = std::string(devclass::hid().name);
  out.description = node.uevent_value("HID_NAME").value_or("");
  return out;
}

Identity hdaudio_identity(const Node& node, const NodeLookup& lookup) {
  winids::HdaCodec codec;
  codec.vendor_id = node.hex_attr("vendor_id").value_or(0);
  codec.subsystem_id = node.hex_attr("subsystem_id").value_or(0);
  codec.revision_id = node.hex_attr("revision_id").value_or(0);
  // modalias hdaudio:vVVVVVVVVrRRRRRRRRaFF: the last field is the function group type.
  const auto alias = modalias_of(node);
  if (const auto a = alias.rfind('a'); a != std::string::npos && a > 8) {
    codec.function_group = static_cast<std::uint8_t>(text::parse_hex(alias.substr(a + 1), 0xFF).value_or(1));
  }
  if (auto controller = lookup(parent_path_of(node.relative_path()))) {
    if (auto pci = read_pci_identity(*controller)) {
      codec.controller_vendor = pci->vendor;
      codec.controller_device = pci->device;
    }
  }
  Identity out;
  out.bus = "HDAUDIO";
  out.ids = winids::hdaudio(codec);
  out.class_name = std::string(devclass::for_hdaudio(codec.function_group).name);
  const auto vendor = node.attr("vendor_name").value_or("");
  const auto chip = node.attr("chip_name").value_or("");
  out.manufacturer = vendor;
  if (!chip.empty()) out.description = (vendor.empty() ? chip : vendor + " " + chip) + " High Definition Audio codec";
  out.pci_key = std::pair{static_cast<std::uint16_t>(codec.vendor_id >> 16),
                          static_cast<std::uint16_t>(codec.vendor_id & 0xFFFF)};
  return out;
}

// Linux-invented ACPI IDs for containers with no Windows device of their own.
bool is_acpi_container(const std::string& hid) { return hid == "LNXSYSTM" || hid == "LNXSYBUS"; }

std::optional<Identity> acpi_identity(const std::vector<std::string>& ids_in) {
  if (ids_in.empty() || is_acpi_container(ids_in.front())) return std::nullopt;
  std::vector<std::string> cids(ids_in.begin() + 1, ids_in.end());
  Identity out;
  out.bus = "ACPI";
  out.ids = winids::acpi(ids_in.front(), cids);
  // A vendor _HID often only says what it is through its _CID (STM0125 is a MSFT0101 TPM).
  out.class_name = "System";
  for (const auto& id : ids_in) {
    if (auto name = pnp_device_name(id); name && out.description.empty()) out.description = *name;
    if (auto cls = devclass::for_acpi(id).name; cls != "System" && out.class_name == "System")
      out.class_name = std::string(cls);
  }
  return out;
}

// "acpi:ELAN0732:PNP0C50:" → {"ELAN0732", "PNP0C50"}
std::vector<std::string> acpi_ids_from_modalias(const std::string& alias) {
  std::vector<std::string> ids;
  const std::string body = alias.substr(5);
  for (auto part : text::split(body, ':')) {
    if (!part.empty()) ids.emplace_back(part);
  }
  return ids;
}

// Virtio device IDs (virtio specification, "Device Types").
std::string virtio_name(std::string_view body) {
  // body: "d00000001v00001AF4"
  if (body.size() < 9 || body[0] != 'd') return {};
  switch (text::parse_hex(body.substr(1, 8)).value_or(0)) {
    case 1: return "Virtio network device";
    case 2: return "Virtio block device";
    case 3: return "Virtio console";
    case 4: return "Virtio entropy source";
    case 5: return "Virtio memory balloon";
    case 8: return "Virtio SCSI host";
    case 9: return "Virtio 9P transport";
    case 16: return "Virtio GPU";
    case 18: return "Virtio input device";
    case 19: return "Virtio socket";
    case 26: return "Virtio file system";
    default: return {};
  }
}

Identity generic_identity(const Node& node, const std::string& subsystem, const std::string& alias) {
  const auto colon = alias.find(':');
  const std::string prefix = colon == std::string::npos ? subsystem : alias.substr(0, colon);
  const std::string body = colon == std::string::npos ? alias : alias.substr(colon + 1);
  Identity out;
  out.bus = text::to_upper(prefix);
  out.ids = winids::generic(prefix, body);
  out.class_name = "System";
  if (subsystem == "scsi") {
    const auto type = node.attr("type").value_or("");
    out.class_name = type == "0" ? "DiskDrive" : (type == "5" ? "CDROM" : "System");
    const std::string vendor_attr = node.attr("vendor").value_or("");
    const std::string model_attr = node.attr("model").value_or("");
    const std::string vendor(text::trim(vendor_attr));
    const std::string model(text::trim(model_attr));
    out.description = vendor.empty() ? model : (model.empty() ? vendor : vendor + " " + model);
    out.manufacturer = vendor;
    out.firmware_version = node.attr("rev").value_or("");
  } else if (subsystem == "virtio") {
    out.description = virtio_name(body);
  } else if (auto description = node.attr("description")) {
    out.description = *description;
  }
  return out;
}

}  // namespace

std::optional<winids::PciIdentity> read_pci_identity(const Node& node) {
  if (subsystem_of(node) != "pci" && modalias_of(node).rfind("pci:", 0) != 0) return std::nullopt;
  winids::PciIdentity id;
  const auto ven_dev = id_pair(node.uevent_value("PCI_ID"));
  const auto subsys = id_pair(node.uevent_value("PCI_SUBSYS_ID"));
  // Attributes first; the uevent carries the same numbers on trees that lack the attribute files.
  auto pick = [&](const char* attr, const auto& pair, bool first) -> std::uint16_t {
    if (auto v = node.hex_attr(attr, 0xFFFF)) return static_cast<std::uint16_t>(*v);
    if (pair) return first ? pair->first : pair->second;
    return 0;
  };
  id.vendor = pick("vendor", ven_dev, true);
  id.device = pick("device", ven_dev, false);
  id.subsystem_vendor = pick("subsystem_vendor", subsys, true);
  id.subsystem_device = pick("subsystem_device", subsys, false);
  if (auto cls = node.hex_attr("class", 0xFFFFFF)) {
    id.class_code = *cls;
  } else {
    id.class_code = text::parse_hex(node.uevent_value("PCI_CLASS").value_or(""), 0xFFFFFF).value_or(0);
  }
  if (auto rev = node.hex_attr("revision", 0xFF)) {
    id.revision = static_cast<std::uint8_t>(*rev);
  } else if (auto config = node.binary_range("config", 8, 1); config && config->size() == 1) {
    id.revision = static_cast<std::uint8_t>((*config)[0]);
  }
  id.express_type = pcie_device_type(node);
  return id;
}

std::string subsystem_of(const Node& node) {
  if (auto s = node.uevent_value("SUBSYSTEM")) return *s;
  if (auto s = node.link_basename("subsystem")) return *s;
  const auto alias = modalias_of(node);
  if (const auto colon = alias.find(':'); colon != std::string::npos) return alias.substr(0, colon);
  if (node.uevent_value("DEVTYPE").value_or("").rfind("usb_", 0) == 0) return "usb";
  return {};
}

std::string modalias_of(const Node& node) {
  if (auto m = node.attr("modalias")) return *m;
  return node.uevent_value("MODALIAS").value_or("");
}

bool is_class_device(const Node& node) {
  if (auto target = node.link_target("subsystem")) return target->find("/class/") != std::string::npos;
  // Recorded trees without the link: the class subsystems that carry a modalias.
  static constexpr std::array<std::string_view, 1> kClassWithModalias = {"input"};
  const auto subsystem = subsystem_of(node);
  return std::find(kClassWithModalias.begin(), kClassWithModalias.end(), subsystem) != kClassWithModalias.end();
}

std::optional<Identity> identify(const Node& node, const NodeLookup& lookup) {
  const auto subsystem = subsystem_of(node);
  const auto alias = modalias_of(node);
  const auto devtype = node.uevent_value("DEVTYPE").value_or("");
  if (subsystem == "usb" && devtype == "usb_device") return usb_device_identity(node, lookup);
  if (subsystem == "usb" && devtype == "usb_interface") return usb_interface_identity(node, lookup);
  if (subsystem == "pnp") {
    // PNP devices list their IDs one per line in "id"; the first is the _HID.
    std::vector<std::string> ids;
    const std::string id_text = node.attr("id").value_or("");
    for (auto line : text::split(id_text, '\n')) {
      if (!text::trim(line).empty()) ids.emplace_back(text::to_upper(text::trim(line)));
    }
    return acpi_identity(ids);
  }
  if (alias.empty() || is_class_device(node)) return std::nullopt;
  if (subsystem == "pci" || alias.rfind("pci:", 0) == 0) return pci_identity(node);
  if (alias.rfind("hid:", 0) == 0) return hid_identity(node, lookup);
  if (alias.rfind("hdaudio:", 0) == 0) return hdaudio_identity(node, lookup);
  // Platform, I2C and SPI devices enumerated from ACPI carry the ACPI modalias.
  if (alias.rfind("acpi:", 0) == 0) {
    auto out = acpi_identity(acpi_ids_from_modalias(alias));
    if (out && subsystem != "acpi") {
      if (auto description = node.attr("description")) out->description = *description;
    }
    return out;
  }
  return generic_identity(node, subsystem, alias);
}

}  // namespace drvaudit::sysfs
