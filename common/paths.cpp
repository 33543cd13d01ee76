#include "common/paths.hpp"

#include <cstdlib>

namespace drvaudit {

std::optional<std::string> process_environment(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

Paths resolve_paths(const std::optional<std::filesystem::path>& state_dir_option, const EnvironmentLookup& env,
                    bool administrator) {
  Paths paths = platform_default_paths(env, administrator);
  std::optional<std::filesystem::path> state_override = state_dir_option;
  if (!state_override) {
    if (auto from_env = env("DRVAUDIT_STATE_DIR")) state_override = std::filesystem::path(*from_env);
  }
  if (state_override) {
    // One folder holds everything when the user names one: a portable or test installation.
    paths.state_dir = *state_override;
    paths.config_dir = *state_override / "config";
    paths.cache_dir = *state_override / "cache";
    paths.machine_wide = false;
  }
  return paths;
}

}  // namespace drvaudit
