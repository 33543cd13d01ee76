#pragma once

#include <filesystem>
#include <optional>
#include <string>

// spdlog set-up: a console sink on stderr (stdout carries the command's data) at the level the
// user chose, and a rotating file sink that always records info and above.
namespace drvaudit::logging {

struct Options {
  int verbosity = 0;                              // 0 warnings, 1 info (-v), 2 debug (-vv), 3+ trace
  std::optional<std::filesystem::path> log_file;  // none: console only
  bool color = false;
  // The log in drvaudit's state folder: created private, never opened through a link.
  bool in_state_folder = false;
};

void init(const Options& options);

// Writes an error to the log file only: the command line has already shown it on the console.
void error_to_file(const std::string& message);

}  // namespace drvaudit::logging
