#pragma once

#include <string>
#include <vector>

#include "scanner/inventory.hpp"

// The device inventory as the user reads it: a terminal table, CSV for spreadsheets, and JSON
// (the snapshot format).
namespace drvaudit::render {

// "OK", "no driver", "problem 28", "not present"
std::string device_status(const Device& device);

std::vector<std::string> inventory_csv_header();
std::vector<std::string> inventory_csv_row(const Device& device);
std::string inventory_csv(const Inventory& inventory, bool excel);

std::string inventory_table(const Inventory& inventory, int width);

}  // namespace drvaudit::render
