#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "updater/journal.hpp"
#include "updater/step.hpp"

// Runs an operation's steps from the journal: each one marked started (committed) before its
// change and finished with its evidence after; a failed step undoes the steps before it, newest
// first. Because everything it needs is in the journal, a second process can finish (resume) or
// undo (rollback) an operation that a killed one left: "old state or new state, never broken".
namespace drvaudit::updater {

struct RunResult {
  std::int64_t operation = 0;
  OperationState state = OperationState::done;
  bool reboot_required = false;
  bool unsupported = false;  // the failed step cannot work on this system at all
  std::string message;
};

class Runner {
 public:
  Runner(Journal& journal, StepFactory factory) : journal_(journal), factory_(std::move(factory)) {}

  // Runs the operation's pending steps (and re-checks a step a crash left started). Stops at the
  // first failure and rolls back what ran.
  RunResult run(std::int64_t operation);
  // Undoes every step that may have changed something, newest first; run again after a partial
  // rollback, it retries only the steps still in effect (the others are undone already).
  RunResult rollback(std::int64_t operation);

  // Called after each step has finished (or been undone), for the user's progress lines.
  std::function<void(const StepRecord& step, const Outcome& outcome)> on_step;
  // Called just before each step changes something (the crash tests watch for it).
  std::function<void(const StepRecord& step)> before_step;

 private:
  // Undoes every step it can, newest first, never stopping at a failed undo; false when one or more
  // stay in effect (message names each and why). The journal then says exactly what is in effect.
  bool undo_all(OperationRecord& op, std::string& message);
  Journal& journal_;
  StepFactory factory_;
};

}  // namespace drvaudit::updater
