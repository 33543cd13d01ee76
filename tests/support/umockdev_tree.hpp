#pragma once

#include <filesystem>

// Materialises a umockdev recording (umockdev-record's P:/E:/A:/H:/L:/N:/S: lines) as a sysfs
// tree, so the sysfs source reads it the way it reads /sys.
namespace drvaudit::test {

// Writes <dest>/devices/... and returns dest, usable as a --sysfs-root.
std::filesystem::path materialise_umockdev(const std::filesystem::path& recording, const std::filesystem::path& dest);

}  // namespace drvaudit::test
