#pragma once

#include <stdexcept>
#include <string>

#include "common/exit_code.hpp"

// drvaudit's error-handling style: modules throw these exceptions at their edges; the command
// line catches them once and turns them into a message and an exit code. Functions whose failure
// is an ordinary outcome (a lookup that finds nothing) return std::optional instead.
namespace drvaudit {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::error)
      : std::runtime_error(message), code_(code) {}
  ExitCode exit_code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// Input that does not follow its grammar: a version string, a snapshot, an INF line.
class ParseError : public Error {
 public:
  explicit ParseError(const std::string& message) : Error(message, ExitCode::error) {}
};

class UnsupportedError : public Error {
 public:
  explicit UnsupportedError(const std::string& message) : Error(message, ExitCode::unsupported) {}
};

class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, ExitCode::usage) {}
};

}  // namespace drvaudit
