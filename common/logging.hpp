#pragma once

#include <filesystem>
#include <optional>

// spdlog set-up: a console sink on stderr (stdout carries the command's data) at the level the
// user chose, and a rotating file sink that always records info and above.
namespace drvaudit::logging {

struct Options {
  int verbosity = 0;                              // 0 warnings, 1 info (-v), 2 debug (-vv), 3+ trace
  std::optional<std::filesystem::path> log_file;  // none: console only
  bool color = false;
};

void init(const Options& options);

}  // namespace drvaudit::logging
