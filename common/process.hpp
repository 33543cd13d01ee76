#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

// Runs a program with an argument vector, never through a shell, so no argument is ever
// re-parsed or expanded.
namespace drvaudit::process {

struct Options {
  std::optional<std::string> stdin_data;             // none: stdin is the null device
  std::optional<std::chrono::milliseconds> timeout;  // the child is killed when it runs out
  std::optional<std::filesystem::path> working_directory;
  std::size_t max_output_bytes = 64 * 1024 * 1024;  // per stream; the rest is dropped

  // Options with only a time limit: the common case for system tools.
  static Options within(std::chrono::seconds limit) {
    Options o;
    o.timeout = limit;
    return o;
  }
};

struct Result {
  int exit_code = -1;  // the program's exit status; -1 when it was killed by a signal or timed out
  int signal = 0;      // the signal that ended it (POSIX), 0 otherwise
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Throws drvaudit::Error when the program cannot be started (not found, not executable).
// argv[0] is looked up in PATH when it has no directory part.
Result run(const std::vector<std::string>& argv, const Options& options = {});

// The absolute path of the running program (what a scheduled task must start again).
std::filesystem::path current_executable();

}  // namespace drvaudit::process
