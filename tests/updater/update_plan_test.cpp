#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "updater/update_plan.hpp"

// Which verdicts become installs: update_available and missing_driver; better_match only when
// asked; never possible_update, and never a comparison with an installed driver of unknown rank.
namespace {
using drvaudit::audit::DeviceAudit;
using drvaudit::audit::Verdict;

DeviceAudit device(const std::string& id, Verdict verdict, bool rank_known = true) {
  DeviceAudit a;
  a.device.instance_id = id;
  a.device.description = id + " device";
  a.device.hardware_ids = {id + "_HWID"};
  a.verdict = verdict;
  a.installed.present = verdict != Verdict::missing_driver;
  if (a.installed.present && rank_known) {
    a.installed.rank = 0x00FF2000;
    a.installed.rank_source = drvaudit::audit::RankSource::os;
  }
  if (verdict != Verdict::up_to_date && verdict != Verdict::no_catalog_data) {
    drvaudit::audit::Candidate c;
    c.entry.inf_name = id + ".inf";
    a.best = c;
  }
  return a;
}

drvaudit::audit::MachineAudit machine() {
  drvaudit::audit::MachineAudit m;
  m.devices = {device("UPDATE", Verdict::update_available),
               device("MISSING", Verdict::missing_driver),
               device("BETTER", Verdict::better_match),
               device("POSSIBLE", Verdict::possible_update),
               device("CURRENT", Verdict::up_to_date),
               device("NOTHING", Verdict::no_catalog_data),
               device("UNKNOWNRANK", Verdict::update_available, false)};
  return m;
}

std::vector<std::string> chosen(const drvaudit::updater::UpdatePlan& p) {
  std::vector<std::string> ids;
  for (const auto& d : p.devices) ids.push_back(d.audit.device.instance_id);
  return ids;
}
}  // namespace

TEST_CASE("plan: --all takes update_available and missing_driver only") {
  const auto plan = drvaudit::updater::make_plan(machine(), {{}, true, false});
  CHECK(chosen(plan) == std::vector<std::string>{"UPDATE", "MISSING"});
  // The flagged devices it leaves say why; up-to-date and unknown ones are not listed.
  std::vector<std::string> skipped;
  for (const auto& s : plan.skipped) skipped.push_back(s.device.instance_id);
  CHECK(skipped == std::vector<std::string>{"BETTER", "POSSIBLE", "UNKNOWNRANK"});
}

TEST_CASE("plan: better_match only with --include-better-match, and then forced") {
  const auto plan = drvaudit::updater::make_plan(machine(), {{}, true, true});
  CHECK(chosen(plan) == std::vector<std::string>{"UPDATE", "MISSING", "BETTER"});
  CHECK(plan.devices[2].force);
  CHECK_FALSE(plan.devices[0].force);
}

TEST_CASE("plan: an unproven comparison is never installed, even when named") {
  const auto plan = drvaudit::updater::make_plan(machine(), {{"POSSIBLE", "UNKNOWNRANK"}, false, true});
  CHECK(plan.devices.empty());
  REQUIRE(plan.skipped.size() == 2);
  CHECK(plan.skipped[0].why.find("not proven") != std::string::npos);
  CHECK(plan.skipped[1].why.find("rank is unknown") != std::string::npos);
}

TEST_CASE("plan: named devices, and a name that matches nothing is a usage error") {
  CHECK(chosen(drvaudit::updater::make_plan(machine(), {{"update"}, false, false})) ==
        std::vector<std::string>{"UPDATE"});
  CHECK_THROWS_AS(drvaudit::updater::make_plan(machine(), {{"NO-SUCH"}, false, false}), drvaudit::UsageError);
  CHECK_THROWS_AS(drvaudit::updater::make_plan(machine(), {{}, false, false}), drvaudit::UsageError);
}
