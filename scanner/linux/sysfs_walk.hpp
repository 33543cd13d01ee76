#pragma once

#include <filesystem>
#include <vector>

// Finds every device directory (one holding a "uevent" file) below <root>/devices, skipping the
// subtrees that hold no hardware (virtual, system, software event sources) and attribute folders.
namespace drvaudit::sysfs {

std::vector<std::filesystem::path> find_device_dirs(const std::filesystem::path& root);

}  // namespace drvaudit::sysfs
