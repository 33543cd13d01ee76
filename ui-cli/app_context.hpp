#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/paths.hpp"
#include "scanner/default_source.hpp"

// What every command shares: the global options, resolved once after parsing.
namespace drvaudit {

struct GlobalOptions {
  int verbosity = 0;
  std::optional<std::filesystem::path> log_file;
  std::optional<std::filesystem::path> state_dir;
  std::optional<std::filesystem::path> snapshot;
  std::optional<std::filesystem::path> sysfs_root;
  bool all_devices = false;
};

class AppContext {
 public:
  explicit AppContext(const GlobalOptions& options);
  const Paths& paths() const { return paths_; }
  const GlobalOptions& options() const { return options_; }
  std::unique_ptr<DeviceSource> device_source() const;
  // The state folder, checked private (throws drvaudit::Error saying why it was refused).
  const std::filesystem::path& state_dir() const;
  std::filesystem::path catalog_file() const { return state_dir() / "catalog.db"; }

 private:
  GlobalOptions options_;
  Paths paths_;
  std::string state_problem_;  // why the state folder was refused; empty when it is fine
};

}  // namespace drvaudit
