#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// The updater's step model (DESIGN.md §5): every change drvaudit makes to a system is a step that
// describes itself (the dry run prints exactly this), applies the change, verifies the effect by
// reading the system back, and undoes it. Outcomes are results, not exceptions: a step that could
// not do its work says so in its Outcome, with the evidence read from the system.
namespace drvaudit::updater {

enum class StepState { pending, started, done, skipped, failed, undone };
std::string_view step_state_name(StepState s);
StepState parse_step_state(std::string_view name);  // throws ParseError

struct Outcome {
  StepState state = StepState::done;  // done, skipped or failed (undone for undo)
  std::string evidence;               // what was read back from the system, in words
  bool reboot_required = false;
  bool unsupported = false;  // the system cannot do this at all (no System Restore): exit 3, not 1
  static Outcome done(std::string evidence) { return {StepState::done, std::move(evidence), false}; }
  static Outcome failed(std::string evidence) { return {StepState::failed, std::move(evidence), false}; }
  static Outcome skipped(std::string evidence) { return {StepState::skipped, std::move(evidence), false}; }
};

class Step {
 public:
  virtual ~Step() = default;
  virtual std::string kind() const = 0;
  // One line a user can check: what will change, from what to what.
  virtual std::string describe() const = 0;
  // Everything needed to verify or undo the step in another process (after a crash): written to
  // the journal before apply runs, and again after it (apply may learn more, e.g. a sequence number).
  virtual nlohmann::json params() const = 0;
  // Makes the change. Its outcome is provisional: the runner then calls verify().
  virtual Outcome apply() = 0;
  // Reads the system back: done when the change is in effect, failed (with what was seen) when not.
  virtual Outcome verify() = 0;
  // Puts the previous state back and reads it back: undone, or failed with what was seen. Safe to
  // call when apply never ran or ran halfway (a crash): it checks before it changes anything.
  virtual Outcome undo() = 0;
  // A step that is the way back for the steps after it (a System Restore point): while a later step
  // stays in effect (its undo failed), it is not undone but kept, so that the way back is there.
  virtual bool guards_later_steps() const { return false; }
  virtual Outcome keep() { return Outcome::done("kept"); }

  // Set by the runner before apply: a step that learns something undo will need in the middle of
  // apply (a restore point's sequence number the moment BEGIN returns, the INF an install added)
  // journals it at once through this, so a crash right after cannot lose it.
  void set_journal_params(std::function<void(const nlohmann::json& params)> journal) { journal_ = std::move(journal); }

 protected:
  void journal_now(const nlohmann::json& params) const {
    if (journal_) journal_(params);
  }

 private:
  std::function<void(const nlohmann::json&)> journal_;
};

// Rebuilds a step from its journal row (kind and params), for resume and rollback in a new process.
struct StepRecord;
// `steps` are the operation's records as the runner knows them now: a step may depend on what an
// earlier one learnt (the restore point's sequence number).
using StepFactory = std::function<std::unique_ptr<Step>(const std::string& kind, const nlohmann::json& params,
                                                        const std::vector<StepRecord>& steps)>;

}  // namespace drvaudit::updater
