#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "common/error.hpp"
#include "tests/support/temp_dir.hpp"
#include "updater/journal.hpp"
#include "updater/runner.hpp"

// The step state machine against a journal on disk: steps whose effects are entries of a map
// (the "system"), so that every test can check what the system holds, not what a step returned.
namespace {
using drvaudit::updater::Journal;
using drvaudit::updater::OperationState;
using drvaudit::updater::Outcome;
using drvaudit::updater::PlannedStep;
using drvaudit::updater::Runner;
using drvaudit::updater::Step;
using drvaudit::updater::StepRecord;
using drvaudit::updater::StepState;

struct FakeSystem {
  std::map<std::string, std::string> values;
  std::set<std::string> fail_apply, fail_verify, fail_undo, reboot;
  std::function<void()> after_learning;  // the moment a kill -9 could come
};

class SetValue : public Step {
 public:
  SetValue(FakeSystem& system, nlohmann::json params) : system_(system), params_(std::move(params)) {}
  std::string kind() const override { return "set"; }
  std::string describe() const override { return "set " + key(); }
  nlohmann::json params() const override { return params_; }
  Outcome apply() override {
    if (system_.fail_apply.count(key())) return Outcome::failed("refused");
    if (key() == "learn") {
      params_["learnt"] = 42;  // what undo will need, known only now (a restore point's sequence)
      journal_now(params_);
      if (system_.after_learning) system_.after_learning();
    }
    system_.values[key()] = params_["to"];
    Outcome o = Outcome::done("written");
    o.reboot_required = system_.reboot.count(key()) > 0;
    return o;
  }
  Outcome verify() override {
    if (system_.fail_verify.count(key())) return Outcome::failed("nothing changed");
    return system_.values[key()] == params_["to"].get<std::string>() ? Outcome::done("seen")
                                                                     : Outcome::failed("not seen");
  }
  Outcome undo() override {
    if (system_.fail_undo.count(key())) return Outcome::failed("stuck");
    system_.values[key()] = params_["from"];
    return {StepState::undone, "restored", false, false};
  }
  // A key named "guard" plays the restore point: the way back for the steps after it.
  bool guards_later_steps() const override { return key() == "guard"; }
  Outcome keep() override {
    system_.values[key()] = "kept";
    return Outcome::done("ended and kept");
  }

 private:
  std::string key() const { return params_["key"]; }
  FakeSystem& system_;
  nlohmann::json params_;
};

std::vector<PlannedStep> plan(FakeSystem& s, std::initializer_list<std::string> keys) {
  std::vector<PlannedStep> steps;
  for (const auto& k : keys) {
    s.values[k] = "old";
    steps.push_back({"set", "set " + k, {{"key", k}, {"from", "old"}, {"to", "new"}}});
  }
  return steps;
}

drvaudit::updater::StepFactory factory(FakeSystem& s) {
  return [&s](const std::string&, const nlohmann::json& params, const std::vector<StepRecord>&) {
    return std::make_unique<SetValue>(s, params);
  };
}
}  // namespace

TEST_CASE("runner: every step applied and verified gives a done operation, journaled") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a", "b"}));
  Runner runner(journal, factory(system));
  const auto result = runner.run(id);
  CHECK(result.state == OperationState::done);
  CHECK(system.values["a"] == "new");
  CHECK(system.values["b"] == "new");
  // A second connection reads what was committed.
  Journal again(dir / "journal.db");
  const auto op = again.get(id);
  REQUIRE(op);
  CHECK(op->state == OperationState::done);
  CHECK(op->steps.size() == 2);
  CHECK(op->steps[0].state == StepState::done);
  CHECK(op->steps[1].evidence == "seen");
  CHECK_FALSE(again.unfinished());
}

TEST_CASE("runner: a step whose effect is not seen fails and the steps before it are undone") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a", "b", "c"}));
  system.fail_verify.insert("b");
  Runner runner(journal, factory(system));
  const auto result = runner.run(id);
  CHECK(result.state == OperationState::failed);
  CHECK(system.values["a"] == "old");
  CHECK(system.values["b"] == "old");
  CHECK(system.values["c"] == "old");  // never run
  const auto op = journal.get(id);
  CHECK(op->steps[0].state == StepState::undone);
  CHECK(op->steps[1].state == StepState::undone);
  CHECK(op->steps[2].state == StepState::pending);
  CHECK(result.message.find("nothing changed") != std::string::npos);
}

TEST_CASE("runner: an undo that fails does not stop the others, and rollback again retries only it") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a", "b", "c"}));
  system.fail_apply.insert("c");
  system.fail_undo.insert("b");
  Runner runner(journal, factory(system));
  const auto result = runner.run(id);
  CHECK(result.state == OperationState::rollback_failed);
  CHECK_THAT(result.message, Catch::Contains("partly rolled back: 1 step is still in effect: step 2 (set b): stuck") &&
                                 Catch::Contains("drvaudit rollback " + std::to_string(id)));
  auto op = journal.get(id);
  CHECK(op->steps[1].state == StepState::done);  // still in effect, as the journal says
  CHECK(op->steps[1].evidence.find("stuck") != std::string::npos);
  CHECK(op->steps[0].state == StepState::undone);  // undone all the same
  CHECK(system.values["a"] == "old");
  CHECK(system.values["b"] == "new");
  // Once the cause is fixed, rollback undoes what is left, and only that.
  system.fail_undo.clear();
  system.values["a"] = "changed by someone since";
  const auto again = runner.rollback(id);
  CHECK(again.state == OperationState::rolled_back);
  CHECK(system.values["b"] == "old");
  CHECK(system.values["a"] == "changed by someone since");  // step 1 was undone already: not touched again
  op = journal.get(id);
  CHECK(op->steps[0].state == StepState::undone);
  CHECK(op->steps[1].state == StepState::undone);
}

TEST_CASE("runner: the way back (a restore point) is kept while a later step stays in effect") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"guard", "a", "b"}));
  system.fail_apply.insert("b");
  system.fail_undo.insert("a");
  Runner runner(journal, factory(system));
  CHECK(runner.run(id).state == OperationState::rollback_failed);
  CHECK(system.values["guard"] == "kept");  // not undone (cancelled): a's change is still in effect
  CHECK_THAT(journal.get(id)->steps[0].evidence, Catch::Contains("kept as the way back"));
  system.fail_undo.clear();
  CHECK(runner.rollback(id).state == OperationState::rolled_back);
  CHECK(system.values["a"] == "old");
  CHECK(system.values["guard"] == "old");  // nothing stays in effect now: undone like any step
}

TEST_CASE("runner: what a step learns mid-apply is journaled at once, before its result") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"learn"}));
  Runner runner(journal, factory(system));
  // Read back from a second connection while the step is still in apply: what a kill -9 there leaves.
  std::optional<StepRecord> at_kill;
  system.after_learning = [&] { at_kill = Journal(dir / "journal.db").get(id)->steps[0]; };
  CHECK(runner.run(id).state == OperationState::done);
  REQUIRE(at_kill);
  CHECK(at_kill->state == StepState::started);
  CHECK(at_kill->params.value("learnt", 0) == 42);
}

TEST_CASE("runner: reboot required is carried to the result") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a"}));
  system.reboot.insert("a");
  Runner runner(journal, factory(system));
  const auto result = runner.run(id);
  CHECK(result.state == OperationState::done);
  CHECK(result.reboot_required);
  CHECK(journal.get(id)->reboot_required());
}

TEST_CASE("runner: resume after a crash re-checks the started step and finishes the rest") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a", "b"}));
  {
    // A process that died after applying step a, before recording its result.
    const auto op = journal.get(id);
    journal.mark_started(op->steps[0].id, op->steps[0].params);
    system.values["a"] = "new";
  }
  REQUIRE(journal.unfinished());
  int applied = 0;
  Runner runner(journal, factory(system));
  runner.before_step = [&](const StepRecord&) { ++applied; };
  const auto result = runner.run(id);
  CHECK(result.state == OperationState::done);
  CHECK(applied == 1);  // a was seen in effect: only b was applied
  CHECK(system.values["b"] == "new");
  CHECK_FALSE(journal.unfinished());
}

TEST_CASE("runner: rollback of an interrupted operation undoes what may have changed") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a", "b"}));
  const auto op = journal.get(id);
  journal.mark(op->steps[0].id, StepState::done, "seen", false, op->steps[0].params);
  journal.mark_started(op->steps[1].id, op->steps[1].params);
  system.values["a"] = "new";
  system.values["b"] = "new";
  Runner runner(journal, factory(system));
  const auto result = runner.rollback(id);
  CHECK(result.state == OperationState::rolled_back);
  CHECK(system.values["a"] == "old");
  CHECK(system.values["b"] == "old");
  CHECK(journal.get(id)->state == OperationState::rolled_back);
  CHECK_FALSE(journal.unfinished());
}

TEST_CASE("journal: lists operations newest first and keeps old ones") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto first = journal.begin("update", "one", {}, plan(system, {"a"}));
  journal.finish(first, OperationState::done, "done");
  const auto second = journal.begin("update", "two", {}, plan(system, {"b"}));
  const auto ops = journal.list();
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].id == second);
  CHECK(ops[1].command == "one");
  CHECK(journal.last()->id == second);
  CHECK(journal.unfinished()->id == second);
}

TEST_CASE("journal: no operation of any kind starts while another was interrupted") {
  drvaudit::test::TempDir dir;
  FakeSystem system;
  Journal journal(dir / "journal.db");
  const auto id = journal.begin("update", "test", {}, plan(system, {"a"}));
  journal.mark_started(journal.get(id)->steps[0].id, journal.get(id)->steps[0].params);  // then a kill -9
  for (const char* kind : {"update", "repair", "schedule-install", "schedule-remove"}) {
    try {
      journal.begin(kind, "test", {}, plan(system, {"b"}));
      FAIL("an operation began on top of an interrupted one");
    } catch (const drvaudit::Error& e) {
      CHECK(e.kind() == drvaudit::ErrorKind::busy);
      CHECK_THAT(std::string(e.what()), Catch::Contains("operation " + std::to_string(id)) &&
                                            Catch::Contains("at step 1") && Catch::Contains("rollback --last"));
    }
  }
  Runner(journal, factory(system)).rollback(id);
  CHECK_NOTHROW(journal.begin("schedule-install", "test", {}, plan(system, {"b"})));
}
