#include "ui-cli/app_context.hpp"

#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "common/logging.hpp"
#include "common/private_state.hpp"
#include "common/privileges.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"

#include <algorithm>

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

namespace {
std::vector<std::filesystem::path> snapshot_files(const std::vector<std::filesystem::path>& given) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : given) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      files.push_back(path);  // a missing file is reported by the snapshot reader, with its name
      continue;
    }
    std::vector<std::filesystem::path> inside;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (entry.is_regular_file(ec) && text::iequals(entry.path().extension().string(), ".json"))
        inside.push_back(entry.path());
    }
    if (ec) throw Error("cannot read the folder " + path.string() + ": " + ec.message());
    if (inside.empty()) throw UsageError("--snapshot " + path.string() + ": the folder holds no *.json snapshot");
    std::sort(inside.begin(), inside.end());
    files.insert(files.end(), inside.begin(), inside.end());
  }
  return files;
}
}  // namespace

std::vector<Inventory> AppContext::inventories() const {
  if (!options_.snapshots.empty() && options_.sysfs_root)
    throw UsageError("--snapshot and --sysfs-root name two device sources: give one");
  if (!options_.snapshots.empty() && options_.all_devices)
    spdlog::warn("--all-devices is ignored with --snapshot: a snapshot holds the devices it recorded");
  std::vector<Inventory> out;
  if (options_.snapshots.empty()) {
    SourceOptions source;
    source.sysfs_root = options_.sysfs_root;
    source.include_absent = options_.all_devices;
    out.push_back(make_device_source(source)->scan());
    return out;
  }
  for (const auto& file : snapshot_files(options_.snapshots)) {
    SourceOptions source;
    source.snapshot = file;
    out.push_back(make_device_source(source)->scan());
  }
  return out;
}

}  // namespace drvaudit
