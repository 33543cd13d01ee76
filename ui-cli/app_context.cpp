#include "ui-cli/app_context.hpp"

#include "common/logging.hpp"
#include "common/terminal.hpp"

namespace drvaudit {

AppContext::AppContext(const GlobalOptions& options) : options_(options), paths_(resolve_paths(options.state_dir)) {
  logging::Options log;
  log.verbosity = options.verbosity;
  log.log_file = options.log_file ? *options.log_file : paths_.log_file();
  log.color = terminal::use_color(stderr);
  logging::init(log);
}

std::unique_ptr<DeviceSource> AppContext::device_source() const {
  SourceOptions source;
  source.snapshot = options_.snapshot;
  source.sysfs_root = options_.sysfs_root;
  source.include_absent = options_.all_devices;
  return make_device_source(source);
}

}  // namespace drvaudit
