#pragma once

#include <stdexcept>
#include <string>

// drvaudit's error-handling style: modules throw these exceptions at their edges; the command
// line catches them once and turns their kind into a message and an exit code (ui-cli/exit_code.hpp).
// Functions whose failure is an ordinary outcome (a lookup that finds nothing) return std::optional,
// and the updater's step outcomes are results, not exceptions.
namespace drvaudit {

// What went wrong, as the caller must react to it; the library never knows exit codes.
enum class ErrorKind {
  failed,       // bad input, I/O, a refused download: the operation did not happen
  usage,        // the request itself was wrong (an unknown target, a bad option value)
  unsupported,  // not possible on this platform or machine
  needs_admin,  // needs administrator/root rights
  busy,         // another drvaudit holds the lock, or an interrupted operation must be finished first
  declined,     // the user answered no to the plan: nothing was changed
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::failed)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Input that does not follow its grammar: a version string, a snapshot, an INF line.
class ParseError : public Error {
 public:
  explicit ParseError(const std::string& message) : Error(message, ErrorKind::failed) {}
};

class UnsupportedError : public Error {
 public:
  explicit UnsupportedError(const std::string& message) : Error(message, ErrorKind::unsupported) {}
};

class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, ErrorKind::usage) {}
};

}  // namespace drvaudit
