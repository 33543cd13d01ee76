#include "common/paths.hpp"

namespace drvaudit {

// Machine-wide state: the weekly audit runs as SYSTEM and a user's audit must see the same catalog.
Paths platform_default_paths(const EnvironmentLookup& env) {
  std::filesystem::path program_data = "C:\\ProgramData";
  if (auto value = env("ProgramData")) program_data = std::filesystem::path(*value);
  Paths paths;
  paths.state_dir = program_data / "drvaudit";
  paths.config_dir = paths.state_dir / "config";
  paths.cache_dir = paths.state_dir / "cache";
  return paths;
}

}  // namespace drvaudit
