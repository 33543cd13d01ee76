#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"
#include "updater/driver_system.hpp"
#include "updater/journal.hpp"
#include "updater/restore_point_steps.hpp"

// The restore-point steps against a system that answers as Windows and Wine do, recording what
// the frequency value was at the moment of the call.
namespace {
using namespace drvaudit::updater;

class RestoreOnly : public DriverSystem {
 public:
  RestorePointResult answer{RestorePointResult::Status::created, 42, "restore point 42"};
  std::optional<std::uint32_t> frequency = 1440;
  std::optional<std::optional<std::uint32_t>> frequency_at_call;
  std::vector<std::pair<std::int64_t, bool>> ended;

  std::string name() const override { return "test"; }
  std::optional<DriverBinding> binding(const std::string&) override { return std::nullopt; }
  InstallResult install(const std::string&, const std::filesystem::path&, bool) override { return {}; }
  std::filesystem::path inf_folder() override { return {}; }
  std::vector<std::string> store_infs() override { return {}; }
  std::vector<std::string> devices_using(const std::string&) override { return {}; }
  bool remove_added_inf(const std::string&, std::string&) override { return false; }
  bool can_remove_driver(std::string&) override { return false; }
  bool remove_driver(const std::string&, const std::string&, std::uint32_t, std::string&) override { return false; }
  RestorePointResult begin_restore_point(const std::string&) override {
    frequency_at_call = frequency;
    return answer;
  }
  RestorePointResult end_restore_point(std::int64_t seq, bool cancelled) override {
    ended.emplace_back(seq, cancelled);
    return {RestorePointResult::Status::created, seq, ""};
  }
  std::optional<std::uint32_t> restore_frequency() override { return frequency; }
  void set_restore_frequency(std::optional<std::uint32_t> m) override { frequency = m; }
};
}  // namespace

TEST_CASE("restore point: the 24-hour limit is lifted for the call and put back") {
  RestoreOnly system;
  const auto planned = plan_begin_restore_point(system, "drvaudit");
  CHECK(planned.params["frequency_before"] == 1440);
  auto step = make_begin_restore_point(system, planned.params, {});
  CHECK(step->apply().state == StepState::done);
  REQUIRE(system.frequency_at_call);
  CHECK(*system.frequency_at_call == std::optional<std::uint32_t>(0));
  CHECK(system.frequency == std::optional<std::uint32_t>(1440));
  CHECK(step->verify().state == StepState::done);
  CHECK(step->params()["sequence"] == 42);
}

TEST_CASE("restore point: an absent frequency value is absent again afterwards") {
  RestoreOnly system;
  system.frequency.reset();
  auto step = make_begin_restore_point(system, plan_begin_restore_point(system, "d").params, {});
  step->apply();
  CHECK_FALSE(system.frequency.has_value());
}

TEST_CASE("restore point: FALSE with status 0 (Wine) and service disabled are unsupported, not failures") {
  RestoreOnly system;
  system.answer = {RestorePointResult::Status::unavailable, 0, "System Restore is unavailable"};
  auto step = make_begin_restore_point(system, plan_begin_restore_point(system, "d").params, {});
  const auto out = step->apply();
  CHECK(out.state == StepState::failed);
  CHECK(out.unsupported);
  CHECK(out.evidence.find("--no-restore-point") != std::string::npos);
  CHECK(system.frequency == std::optional<std::uint32_t>(1440));
}

TEST_CASE("restore point: undo cancels a point that was begun and not ended, and keeps an ended one") {
  RestoreOnly system;
  auto planned = plan_begin_restore_point(system, "d");
  auto step = make_begin_restore_point(system, planned.params, {});
  step->apply();
  CHECK(step->undo().state == StepState::undone);
  REQUIRE(system.ended.size() == 1);
  CHECK(system.ended[0] == std::make_pair(std::int64_t(42), true));

  // When the end step ran, the point stays: it is how the user gets the old drivers back.
  StepRecord begin{1, 1, kBeginRestorePoint, "", step->params(), StepState::done, "", false, "", ""};
  StepRecord end{2, 2, kEndRestorePoint, "", {{"ended", true}, {"sequence", 42}}, StepState::done, "", false, "", ""};
  auto again = make_begin_restore_point(system, step->params(), {begin, end});
  system.ended.clear();
  CHECK(again->undo().state == StepState::undone);
  CHECK(system.ended.empty());
}

TEST_CASE("restore point: the end step uses the sequence number the begin step learnt") {
  RestoreOnly system;
  StepRecord begin{1, 1, kBeginRestorePoint, "", {{"sequence", 7}}, StepState::done, "", false, "", ""};
  auto end = make_end_restore_point(system, nlohmann::json::object(), {begin});
  CHECK(end->apply().state == StepState::done);
  REQUIRE(system.ended.size() == 1);
  CHECK(system.ended[0] == std::make_pair(std::int64_t(7), false));
  CHECK(end->verify().state == StepState::done);
}
