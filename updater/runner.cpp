#include "updater/runner.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::updater {

namespace {
bool may_have_changed(StepState s) { return s == StepState::started || s == StepState::done || s == StepState::failed; }

std::unique_ptr<Step> make(const StepFactory& factory, const StepRecord& record, const std::vector<StepRecord>& steps) {
  auto step = factory(record.kind, record.params, steps);
  if (!step) throw Error("journal: step " + std::to_string(record.seq) + " has an unknown kind '" + record.kind + "'");
  return step;
}
}  // namespace

RunResult Runner::run(std::int64_t operation) {
  auto op = journal_.get(operation);
  if (!op) throw Error("journal: no operation " + std::to_string(operation));
  if (op->state == OperationState::rolling_back) return rollback(operation);
  RunResult result;
  result.operation = operation;
  for (auto& record : op->steps) {
    if (record.state == StepState::done || record.state == StepState::skipped) {
      result.reboot_required = result.reboot_required || (record.reboot_required && record.state == StepState::done);
      continue;
    }
    auto step = make(factory_, record, op->steps);
    Outcome outcome;
    bool in_effect = false;
    if (record.state == StepState::started) {
      // A crash came between "started" and its result: the change may be in effect already.
      outcome = step->verify();
      in_effect = outcome.state == StepState::done;
    }
    if (!in_effect) {
      if (before_step) before_step(record);
      journal_.mark_started(record.id, step->params());
      record.state = StepState::started;
      const auto id = record.id;
      step->set_journal_params([this, id](const nlohmann::json& params) { journal_.update_params(id, params); });
      outcome = step->apply();
      if (outcome.state == StepState::done) {
        const bool reboot = outcome.reboot_required;
        outcome = step->verify();
        outcome.reboot_required = outcome.reboot_required || reboot;
      }
    }
    record.state = outcome.state;
    record.evidence = outcome.evidence;
    record.reboot_required = outcome.reboot_required;
    record.params = step->params();
    journal_.mark(record.id, outcome.state, outcome.evidence, outcome.reboot_required, record.params);
    if (on_step) on_step(record, outcome);
    if (outcome.state == StepState::failed) {
      std::string undo_message;
      const bool clean = undo_all(*op, undo_message);
      result.state = clean ? OperationState::failed : OperationState::rollback_failed;
      result.message = "step " + std::to_string(record.seq) + " (" + record.description +
                       ") failed: " + outcome.evidence + (clean ? "; every change was undone" : "; " + undo_message);
      result.reboot_required = false;
      result.unsupported = outcome.unsupported;
      journal_.finish(operation, result.state, result.message);
      return result;
    }
    result.reboot_required = result.reboot_required || outcome.reboot_required;
  }
  result.message = result.reboot_required ? "done; restart Windows to finish" : "done";
  journal_.finish(operation, OperationState::done, result.message);
  return result;
}

bool Runner::undo_all(OperationRecord& op, std::string& message) {
  journal_.set_state(op.id, OperationState::rolling_back);
  // Every step that can be undone is, newest first, whatever failed before it: one step that stays
  // in effect must not strand the others on the new state. Those that stay are named, with why.
  std::vector<std::string> still;
  for (auto it = op.steps.rbegin(); it != op.steps.rend(); ++it) {
    auto& record = *it;
    if (!may_have_changed(record.state)) continue;
    auto step = make(factory_, record, op.steps);
    if (step->guards_later_steps() && !still.empty()) {
      const auto kept = step->keep();
      const std::string evidence = "kept as the way back while a later step is still in effect: " + kept.evidence;
      journal_.mark(record.id, record.state, record.evidence.empty() ? evidence : record.evidence + "; " + evidence,
                    false, step->params());
      record.params = step->params();
      if (on_step) on_step(record, kept);
      continue;
    }
    if (before_step) before_step(record);
    const auto outcome = step->undo();
    const std::string evidence =
        outcome.state == StepState::undone ? outcome.evidence : "undo failed: " + outcome.evidence;
    // A failed undo keeps the step's state (its change is still in effect) with what was seen.
    const StepState state = outcome.state == StepState::undone ? StepState::undone : record.state;
    journal_.mark(record.id, state, record.evidence.empty() ? evidence : record.evidence + "; " + evidence, false,
                  step->params());
    record.state = state;
    record.params = step->params();
    if (on_step) on_step(record, outcome);
    if (outcome.state != StepState::undone)
      still.push_back("step " + std::to_string(record.seq) + " (" + record.description + "): " + outcome.evidence);
  }
  if (still.empty()) return true;
  message = "partly rolled back: " + std::to_string(still.size()) + (still.size() == 1 ? " step is" : " steps are") +
            " still in effect: " + text::join(still, "; ") + "; every other step was undone. What to do: fix what " +
            "the undo names, then run `drvaudit rollback " + std::to_string(op.id) +
            "` again (it retries only the steps still in effect)";
  return false;
}

RunResult Runner::rollback(std::int64_t operation) {
  auto op = journal_.get(operation);
  if (!op) throw Error("journal: no operation " + std::to_string(operation));
  RunResult result;
  result.operation = operation;
  result.state = OperationState::rolled_back;
  std::string message;
  if (!undo_all(*op, message)) {
    result.state = OperationState::rollback_failed;
    result.message = message;
  } else {
    result.message = "rolled back";
  }
  journal_.finish(operation, result.state, result.message);
  return result;
}

}  // namespace drvaudit::updater
