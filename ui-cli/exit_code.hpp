#pragma once

// The one exit-code table of the drvaudit command (DESIGN.md §6). Values stay below 126 so that
// POSIX shells never confuse them with signals or "command not found", except for an interrupt,
// which reports itself the way shells do.
#include "common/error.hpp"

namespace drvaudit {

enum class ExitCode : int {
  ok = 0,                  // done, or nothing to do
  error = 1,               // the operation failed (bad input, I/O, internal error)
  usage = 2,               // the command line was wrong
  unsupported = 3,         // not possible on this platform or machine
  needs_admin = 4,         // the operation needs administrator/root rights
  busy = 5,                // another drvaudit holds the lock
  declined = 6,            // the plan was shown and the answer was no: nothing was changed
  updates_available = 10,  // audit found updates
  needs_attention = 11,    // audit: devices with a problem (or no driver) that no update fixes
  reboot_required = 20,    // the change needs a reboot to take effect
  interrupted = 130,       // Ctrl-C (128 + SIGINT, the shells' convention); finished work is kept
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

// The exit code of a library error: the only place the two meet.
constexpr ExitCode exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::failed: return ExitCode::error;
    case ErrorKind::usage: return ExitCode::usage;
    case ErrorKind::unsupported: return ExitCode::unsupported;
    case ErrorKind::needs_admin: return ExitCode::needs_admin;
    case ErrorKind::busy: return ExitCode::busy;
    case ErrorKind::declined: return ExitCode::declined;
  }
  return ExitCode::error;
}

}  // namespace drvaudit
