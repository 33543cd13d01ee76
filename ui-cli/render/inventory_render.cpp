#include "ui-cli/render/inventory_render.hpp"

#include "common/text.hpp"
#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/table.hpp"

namespace drvaudit::render {

namespace {
std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

// What names the driver: the INF on Windows, the kernel module (or driver) on Linux.
std::string driver_name(const InstalledDriver& d) {
  if (!d.inf.empty()) return d.inf;
  if (!d.module.empty()) return d.module;
  return d.service;
}
}  // namespace

std::string device_status(const Device& device) {
  if (!device.present) return "not present";
  if (device.problem_code != 0) return "problem " + std::to_string(device.problem_code);
  if (!device.driver) return "no driver";
  return "OK";
}

std::vector<std::string> inventory_csv_header() {
  return {"description",    "class",           "manufacturer",         "bus",
          "instance_id",    "hardware_ids",    "compatible_ids",       "driver_provider",
          "driver_version", "driver_date",     "driver_inf_or_module", "driver_service",
          "driver_signer",  "status",          "problem_code",         "present",
          "location",       "firmware_version"};
}

std::vector<std::string> inventory_csv_row(const Device& d) {
  const InstalledDriver none;
  const InstalledDriver& drv = d.driver ? *d.driver : none;
  return {d.description,
          d.class_name,
          d.manufacturer,
          d.bus,
          d.instance_id,
          join(d.hardware_ids, "; "),
          join(d.compatible_ids, "; "),
          drv.provider,
          drv.version,
          drv.date.to_iso(),
          driver_name(drv),
          drv.service,
          drv.signer,
          device_status(d),
          std::to_string(d.problem_code),
          d.present ? "yes" : "no",
          d.location,
          d.firmware_version};
}

std::string inventory_csv(const Inventory& inventory, bool excel) {
  csv::Writer writer({.byte_order_mark = excel});
  writer.row(inventory_csv_header());
  for (const auto& d : inventory.devices) writer.row(inventory_csv_row(d));
  return writer.text();
}

std::string inventory_table(const Inventory& inventory, int width) {
  const std::vector<table::Column> columns = {
      {"CLASS", 5, 12, false},   {"DEVICE", 12, 48, false}, {"DRIVER", 6, 18, false},
      {"VERSION", 7, 20, false}, {"STATUS", 6, 11, true},   {"HARDWARE ID", 12, 60, true},
  };
  std::vector<std::vector<std::string>> rows;
  std::size_t without_driver = 0;
  for (const auto& d : inventory.devices) {
    if (!d.driver) ++without_driver;
    rows.push_back({d.class_name, d.description, d.driver ? driver_name(*d.driver) : "-",
                    d.driver ? d.driver->version : "-", device_status(d),
                    d.hardware_ids.empty() ? std::string() : d.hardware_ids.front()});
  }
  std::string out = table::render(columns, rows, width);
  out += "\n" + std::to_string(inventory.devices.size()) + " devices, " + std::to_string(without_driver) +
         " without a driver";
  if (!inventory.machine.source.empty()) out += " (" + text::escape_control(inventory.machine.source) + ")";
  out += "\n";
  return out;
}

}  // namespace drvaudit::render
