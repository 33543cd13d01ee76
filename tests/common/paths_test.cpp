#include <catch2/catch.hpp>

#include <map>

#include "common/paths.hpp"

namespace {
drvaudit::EnvironmentLookup fake_env(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    if (auto it = values.find(name); it != values.end()) return it->second;
    return std::nullopt;
  };
}
}  // namespace

TEST_CASE("the state folder follows --state-dir, then DRVAUDIT_STATE_DIR, then the platform") {
  const auto env = fake_env({{"HOME", "/home/ann"}, {"DRVAUDIT_STATE_DIR", "/srv/drvaudit"}});
  CHECK(drvaudit::resolve_paths(std::filesystem::path("/opt/state"), env).state_dir == "/opt/state");
  CHECK(drvaudit::resolve_paths(std::nullopt, env).state_dir == "/srv/drvaudit");
  CHECK(drvaudit::resolve_paths(std::nullopt, env).log_file() == "/srv/drvaudit/logs/drvaudit.log");
}

#ifndef _WIN32
TEST_CASE("Linux defaults follow the XDG base directories") {
  auto paths = drvaudit::resolve_paths(std::nullopt, fake_env({{"HOME", "/home/ann"}}));
  CHECK(paths.state_dir == "/home/ann/.local/state/drvaudit");
  CHECK(paths.config_dir == "/home/ann/.config/drvaudit");
  CHECK(paths.cache_dir == "/home/ann/.cache/drvaudit");

  paths = drvaudit::resolve_paths(
      std::nullopt,
      fake_env({{"HOME", "/home/ann"}, {"XDG_STATE_HOME", "/x/state"}, {"XDG_CONFIG_HOME", "relative/ignored"}}));
  CHECK(paths.state_dir == "/x/state/drvaudit");
  CHECK(paths.config_dir == "/home/ann/.config/drvaudit");  // XDG: relative values are ignored
}
#else
TEST_CASE("Windows keeps machine-wide state under ProgramData, an unelevated run its own in LOCALAPPDATA") {
  const auto env = fake_env({{"ProgramData", "D:\\PD"}, {"LOCALAPPDATA", "D:\\Users\\ann\\AppData\\Local"}});
  auto paths = drvaudit::resolve_paths(std::nullopt, env, true);
  CHECK(paths.state_dir == std::filesystem::path("D:\\PD") / "drvaudit");
  CHECK(paths.machine_wide);
  paths = drvaudit::resolve_paths(std::nullopt, env, false);
  CHECK(paths.state_dir == std::filesystem::path("D:\\Users\\ann\\AppData\\Local") / "drvaudit");
  CHECK_FALSE(paths.machine_wide);
  CHECK_FALSE(drvaudit::resolve_paths(std::filesystem::path("D:\\portable"), env, true).machine_wide);
}
#endif
