#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

// Where drvaudit keeps its state (catalog, history, journal, logs) and configuration.
// Precedence: --state-dir, then DRVAUDIT_STATE_DIR, then the platform's convention
// (XDG base directories on Linux, %ProgramData%\drvaudit on Windows).
namespace drvaudit {

using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;

// The process environment.
std::optional<std::string> process_environment(const char* name);

struct Paths {
  std::filesystem::path state_dir;
  std::filesystem::path config_dir;
  std::filesystem::path cache_dir;
  // Windows' default %ProgramData%\drvaudit: created for Administrators and SYSTEM only.
  bool machine_wide = false;
  std::filesystem::path log_file() const { return state_dir / "logs" / "drvaudit.log"; }
};

// `administrator`: whether this process is elevated. On Windows the machine-wide folder is
// Administrators' and SYSTEM's alone, so an unelevated run keeps its state in %LOCALAPPDATA%.
Paths resolve_paths(const std::optional<std::filesystem::path>& state_dir_option,
                    const EnvironmentLookup& env = process_environment, bool administrator = true);

// The platform's convention alone, before any override (implemented per platform).
Paths platform_default_paths(const EnvironmentLookup& env, bool administrator);

}  // namespace drvaudit
