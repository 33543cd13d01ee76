#include "updater/driver_system.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace drvaudit::updater {

DriverBinding binding_of(const Device& device) {
  DriverBinding b;
  if (device.driver) {
    b.inf = device.driver->inf;
    b.section = device.driver->section;
    b.version = device.driver->version;
    b.matching_id = device.driver->matching_id;
  }
  b.problem = device.problem_code;
  return b;
}

std::vector<std::string> inf_files_in(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
    const auto n = e.path().filename().string();
    if (text::iends_with(n, ".inf")) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace drvaudit::updater
