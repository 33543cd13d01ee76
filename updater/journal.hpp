#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/sqlite.hpp"
#include "updater/step.hpp"

// The journal (journal.db in the state folder): every operation drvaudit ran on a system and its
// steps. A step's row is committed as started before the change and as done/failed/undone with
// its evidence after it, with synchronous=FULL, so after a crash or power loss the journal says
// which change may be half made. Old operations are kept: they are the history of what changed.
namespace drvaudit::updater {

// running and rolling_back are what a killed process leaves behind.
enum class OperationState { running, done, failed, rolled_back, rollback_failed, rolling_back };
std::string_view operation_state_name(OperationState s);

struct StepRecord {
  std::int64_t id = 0;
  int seq = 0;
  std::string kind, description;
  nlohmann::json params;
  StepState state = StepState::pending;
  std::string evidence;
  bool reboot_required = false;
  std::string started_at, finished_at;
};

struct OperationRecord {
  std::int64_t id = 0;
  std::string kind;     // update, rollback
  std::string command;  // the command line, for the history
  OperationState state = OperationState::running;
  std::string started_at, finished_at;
  std::string message;  // how it ended, in words
  nlohmann::json details;
  std::vector<StepRecord> steps;
  bool reboot_required() const;
};

struct PlannedStep {
  std::string kind, description;
  nlohmann::json params;
};

class Journal {
 public:
  explicit Journal(const std::filesystem::path& file);

  // The operation and all its steps (pending), in one transaction.
  std::int64_t begin(const std::string& kind, const std::string& command, const nlohmann::json& details,
                     const std::vector<PlannedStep>& steps);
  // Each call is its own committed transaction.
  void mark_started(std::int64_t step_id, const nlohmann::json& params);
  // What a started step learnt mid-apply (committed at once; its state stays started).
  void update_params(std::int64_t step_id, const nlohmann::json& params);
  void mark(std::int64_t step_id, StepState state, const std::string& evidence, bool reboot,
            const nlohmann::json& params);
  void finish(std::int64_t operation_id, OperationState state, const std::string& message);
  void set_state(std::int64_t operation_id, OperationState state);

  std::optional<OperationRecord> get(std::int64_t id) const;
  std::optional<OperationRecord> last() const;
  // The newest operation still running or rolling back: one that a killed process left behind.
  std::optional<OperationRecord> unfinished() const;
  std::vector<OperationRecord> list() const;  // newest first, without steps

 private:
  std::vector<StepRecord> steps_of(std::int64_t operation_id) const;
  mutable sqlite::Database db_;
};

// Throws drvaudit::Error (busy) when an operation was interrupted (a kill, a power loss), naming it,
// the step it stopped at, and the command that finishes or undoes it. Journal::begin calls it, so no
// kind of operation can start on top of an unfinished one; commands call it early to say so first.
void refuse_if_interrupted(const Journal& journal);

// The newer operations whose changes are still in effect on something `op` changed (a device's
// driver, a file): rolling `op` back under them would silently take that device or file back
// while they still say done, and rolling them back afterwards would fail. Each with the targets.
struct Overlap {
  std::int64_t operation = 0;
  std::string kind;
  std::vector<std::string> targets;
};
std::vector<Overlap> newer_overlapping(const Journal& journal, const OperationRecord& op);

}  // namespace drvaudit::updater
