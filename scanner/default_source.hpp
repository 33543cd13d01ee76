#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "scanner/inventory.hpp"

namespace drvaudit {

struct SourceOptions {
  std::optional<std::filesystem::path> snapshot;    // replay a recorded machine
  std::optional<std::filesystem::path> sysfs_root;  // Linux: read a recorded sysfs tree
  bool include_absent = false;                      // Windows: devices not present now
};

// The snapshot when one is given, otherwise this platform's live scanner. Throws
// UnsupportedError for an option this platform cannot honour.
std::unique_ptr<DeviceSource> make_device_source(const SourceOptions& options);

}  // namespace drvaudit
