#pragma once

#include <string>
#include <vector>

#include "scanner/inventory.hpp"
#include "ui-cli/render/table.hpp"

// The device inventory as the user reads it: a terminal table, CSV for spreadsheets, and JSON
// (the snapshot format; drvaudit-inventories/1 for several machines). Several machines make one
// table and one CSV with a machine column.
namespace drvaudit::render {

// "OK", "no driver", "Code 28: drivers not installed", "not present", coloured for a terminal.
table::Cell device_status(const Device& device);

std::string inventory_csv(const std::vector<Inventory>& inventories, bool excel);
std::string inventory_table(const std::vector<Inventory>& inventories, const table::Layout& layout);
std::string inventory_json(const std::vector<Inventory>& inventories);

}  // namespace drvaudit::render
