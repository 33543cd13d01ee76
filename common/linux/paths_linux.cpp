#include "common/paths.hpp"

#include <pwd.h>
#include <unistd.h>

namespace drvaudit {

namespace {
std::filesystem::path home_directory(const EnvironmentLookup& env) {
  if (auto home = env("HOME")) return *home;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return "/tmp";
}

// XDG says a relative value must be ignored.
std::filesystem::path xdg_dir(const EnvironmentLookup& env, const char* variable,
                              const std::filesystem::path& fallback) {
  if (auto value = env(variable); value && std::filesystem::path(*value).is_absolute()) return *value;
  return fallback;
}
}  // namespace

Paths platform_default_paths(const EnvironmentLookup& env, bool /*administrator*/) {
  const auto home = home_directory(env);
  Paths paths;
  paths.state_dir = xdg_dir(env, "XDG_STATE_HOME", home / ".local" / "state") / "drvaudit";
  paths.config_dir = xdg_dir(env, "XDG_CONFIG_HOME", home / ".config") / "drvaudit";
  paths.cache_dir = xdg_dir(env, "XDG_CACHE_HOME", home / ".cache") / "drvaudit";
  return paths;
}

}  // namespace drvaudit
