#include "common/paths.hpp"

namespace drvaudit {

// Machine-wide state: the weekly audit runs as SYSTEM and an administrator's audit must see the
// same catalog. That folder is Administrators' and SYSTEM's alone (an unelevated user could
// otherwise plant what the updater then trusts), so an unelevated run keeps its own state in
// %LOCALAPPDATA%\drvaudit.
Paths platform_default_paths(const EnvironmentLookup& env, bool administrator) {
  Paths paths;
  if (administrator) {
    std::filesystem::path program_data = "C:\\ProgramData";
    if (auto value = env("ProgramData")) program_data = std::filesystem::path(*value);
    paths.state_dir = program_data / "drvaudit";
    paths.machine_wide = true;
  } else {
    std::filesystem::path local;
    if (auto value = env("LOCALAPPDATA"))
      local = std::filesystem::path(*value);
    else if (auto profile = env("USERPROFILE"))
      local = std::filesystem::path(*profile) / "AppData" / "Local";
    else
      local = "C:\\Users\\Default\\AppData\\Local";
    paths.state_dir = local / "drvaudit";
  }
  paths.config_dir = paths.state_dir / "config";
  paths.cache_dir = paths.state_dir / "cache";
  return paths;
}

}  // namespace drvaudit
