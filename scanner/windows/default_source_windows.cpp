#include "common/error.hpp"
#include "scanner/default_source.hpp"
#include "scanner/snapshot.hpp"
#include "scanner/windows/setupapi_source.hpp"

namespace drvaudit {

std::unique_ptr<DeviceSource> make_device_source(const SourceOptions& options) {
  if (options.snapshot) return std::make_unique<snapshot::SnapshotSource>(*options.snapshot);
  if (options.sysfs_root)
    throw UnsupportedError("--sysfs-root reads a Linux sysfs tree; on Windows use --snapshot FILE");
  return std::make_unique<SetupApiSource>(options.include_absent);
}

}  // namespace drvaudit
