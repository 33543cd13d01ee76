#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.hpp"
#include "scanner/default_source.hpp"

// What every command shares: the global options, resolved once after parsing.
namespace drvaudit {

struct GlobalOptions {
  int verbosity = 0;
  std::optional<std::filesystem::path> log_file;
  std::optional<std::filesystem::path> state_dir;
  std::vector<std::filesystem::path> snapshots;  // files, or folders of *.json snapshots
  std::optional<std::filesystem::path> sysfs_root;
  bool all_devices = false;
  bool wide = false;           // tables never cut anything
  std::optional<int> width;    // tables fit this many columns, wherever they go
  std::string color = "auto";  // auto, always, never
  std::string command_line;    // as typed, for the journal's history
  bool replays() const { return !snapshots.empty() || sysfs_root.has_value(); }
};

class AppContext {
 public:
  explicit AppContext(const GlobalOptions& options);
  const Paths& paths() const { return paths_; }
  const GlobalOptions& options() const { return options_; }
  // The machines to report on: this one (or the sysfs tree given), or every snapshot named (a
  // folder stands for each *.json inside it, in name order). Throws drvaudit::Error.
  std::vector<Inventory> inventories() const;
  // The state folder, checked private (throws drvaudit::Error saying why it was refused).
  const std::filesystem::path& state_dir() const;
  std::filesystem::path catalog_file() const { return state_dir() / "catalog.db"; }
  std::filesystem::path history_file() const { return state_dir() / "history.db"; }

 private:
  GlobalOptions options_;
  Paths paths_;
  std::string state_problem_;  // why the state folder was refused; empty when it is fine
};

}  // namespace drvaudit
