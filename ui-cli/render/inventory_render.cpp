#include "ui-cli/render/inventory_render.hpp"

#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "common/version.hpp"
#include "scanner/problem_codes.hpp"
#include "scanner/snapshot.hpp"
#include "ui-cli/render/csv_writer.hpp"

namespace drvaudit::render {

namespace {

// What names the driver: the INF on Windows, the kernel module (or driver) on Linux.
std::string driver_name(const InstalledDriver& d) {
  if (!d.inf.empty()) return d.inf;
  if (!d.module.empty()) return d.module;
  return d.service;
}

const std::vector<std::string> kCsvHeader = {"machine",
                                             "captured_at",
                                             "tool_version",
                                             "description",
                                             "class",
                                             "manufacturer",
                                             "bus",
                                             "instance_id",
                                             "hardware_ids",
                                             "compatible_ids",
                                             "driver_provider",
                                             "driver_version",
                                             "driver_date",
                                             "driver_inf_or_module",
                                             "driver_service",
                                             "driver_signer",
                                             "status",
                                             "problem_code",
                                             "present",
                                             "location",
                                             "firmware_version"};
}  // namespace

table::Cell device_status(const Device& device) {
  if (!device.present) return {"not present"};
  if (device.problem_code != 0)
    return {problem_codes::brief(device.problem_code),
            problem_codes::needs_attention(device.problem_code) ? table::Color::red : table::Color::yellow};
  if (!device.driver) return {"no driver", table::Color::yellow};
  return {"OK", table::Color::green};
}

std::string inventory_csv(const std::vector<Inventory>& inventories, bool excel) {
  csv::Writer writer({.byte_order_mark = excel});
  writer.row(kCsvHeader);
  const InstalledDriver none;
  for (const auto& inventory : inventories) {
    const auto& m = inventory.machine;
    for (const auto& d : inventory.devices) {
      const InstalledDriver& drv = d.driver ? *d.driver : none;
      writer.row({m.hostname,
                  m.captured_at,
                  kToolVersion,
                  d.description,
                  d.class_name,
                  d.manufacturer,
                  d.bus,
                  d.instance_id,
                  text::join(d.hardware_ids, "; "),
                  text::join(d.compatible_ids, "; "),
                  drv.provider,
                  version_text(drv),
                  drv.date.to_iso(),
                  driver_name(drv),
                  drv.service,
                  drv.signer,
                  device_status(d).text,
                  std::to_string(d.problem_code),
                  d.present ? "yes" : "no",
                  d.location,
                  d.firmware_version});
    }
  }
  return writer.text();
}

std::string inventory_table(const std::vector<Inventory>& inventories, const table::Layout& layout) {
  using table::Fit;
  const bool many = inventories.size() > 1;
  std::vector<table::Column> columns;
  if (many) columns.push_back({"MACHINE", Fit::shrink, 8, 0});
  const std::vector<table::Column> common = {
      {"DEVICE", Fit::shrink, 20, 0, 12}, {"CLASS", Fit::whole, 0, 2},  {"DRIVER", Fit::shrink, 8, 0},
      {"VERSION", Fit::wrap, 13, 0},      {"STATUS", Fit::wrap, 16, 0}, {"HARDWARE ID", Fit::shrink, 12, 1},
  };
  columns.insert(columns.end(), common.begin(), common.end());
  std::vector<std::vector<table::Cell>> rows;
  std::string totals;
  for (const auto& inventory : inventories) {
    std::size_t without_driver = 0;
    for (const auto& d : inventory.devices) {
      if (!d.driver) ++without_driver;
      std::vector<table::Cell> row;
      if (many) row.emplace_back(inventory.machine.hostname);
      row.emplace_back(d.description);
      row.emplace_back(d.class_name);
      row.emplace_back(d.driver ? driver_name(*d.driver) : "-");
      row.emplace_back(d.driver ? version_text(*d.driver) : "-");
      row.push_back(device_status(d));
      row.emplace_back(d.hardware_ids.empty() ? std::string() : d.hardware_ids.front());
      rows.push_back(std::move(row));
    }
    if (many) totals += text::escape_control(inventory.machine.hostname) + ": ";
    totals +=
        std::to_string(inventory.devices.size()) + " devices, " + std::to_string(without_driver) + " without a driver";
    if (!inventory.machine.source.empty()) totals += " (" + text::escape_control(inventory.machine.source) + ")";
    totals += "\n";
  }
  return table::render(columns, rows, layout) + "\n" + totals;
}

std::string inventory_json(const std::vector<Inventory>& inventories) {
  if (inventories.size() == 1) return snapshot::serialize(inventories.front());
  // Each machine's snapshot whole, so any of them can be cut out and replayed.
  std::string out = "{\n  \"schema\": \"drvaudit-inventories/1\",\n  \"tool_version\": \"" + std::string(kToolVersion) +
                    "\",\n  \"machines\": [";
  for (std::size_t i = 0; i < inventories.size(); ++i) {
    std::string one = snapshot::serialize(inventories[i]);
    while (!one.empty() && one.back() == '\n') one.pop_back();
    std::string indented;
    for (char c : one) {
      indented += c;
      if (c == '\n') indented += "    ";
    }
    out += (i ? ",\n    " : "\n    ") + indented;
  }
  return out + "\n  ]\n}\n";
}

}  // namespace drvaudit::render
