#include "common/error.hpp"
#include "scanner/default_source.hpp"
#include "scanner/linux/sysfs_source.hpp"
#include "scanner/snapshot.hpp"

namespace drvaudit {

std::unique_ptr<DeviceSource> make_device_source(const SourceOptions& options) {
  if (options.snapshot) return std::make_unique<snapshot::SnapshotSource>(*options.snapshot);
  SysfsOptions sysfs;
  if (options.sysfs_root) sysfs.root = *options.sysfs_root;
  return std::make_unique<SysfsSource>(sysfs);
}

}  // namespace drvaudit
