#include "ui-cli/app_context.hpp"

#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "common/logging.hpp"
#include "common/private_state.hpp"
#include "common/privileges.hpp"
#include "common/terminal.hpp"

namespace drvaudit {

AppContext::AppContext(const GlobalOptions& options)
    : options_(options), paths_(resolve_paths(options.state_dir, process_environment, is_administrator())) {
  try {
    private_state::prepare_folder(
        paths_.state_dir, paths_.machine_wide ? private_state::Access::machine_wide : private_state::Access::user);
  } catch (const Error& e) {
    state_problem_ = e.what();
  }
  logging::Options log;
  log.verbosity = options.verbosity;
  if (options.log_file) {
    log.log_file = *options.log_file;
  } else if (state_problem_.empty()) {
    log.log_file = paths_.log_file();
    log.in_state_folder = true;
  }
  log.color = terminal::use_color(stderr);
  logging::init(log);
  // A command that needs the state folder stops with this problem; one that does not (scan) only
  // goes without its log file.
  if (!state_problem_.empty()) spdlog::info("no log file: {}", state_problem_);
}

const std::filesystem::path& AppContext::state_dir() const {
  if (!state_problem_.empty()) throw Error(state_problem_);
  return paths_.state_dir;
}

std::unique_ptr<DeviceSource> AppContext::device_source() const {
  SourceOptions source;
  source.snapshot = options_.snapshot;
  source.sysfs_root = options_.sysfs_root;
  source.include_absent = options_.all_devices;
  return make_device_source(source);
}

}  // namespace drvaudit
