#include <catch2/catch.hpp>

#include "catalog/history/history_store.hpp"
#include "catalog/history/run_diff.hpp"
#include "tests/support/temp_dir.hpp"

// The history store on disk and the diff rules, each kind of change on its own device.
namespace {
using drvaudit::history::ChangeKind;
using drvaudit::history::DeviceRecord;
using drvaudit::history::RunRecord;

DeviceRecord device(const std::string& id, const std::string& version, const std::string& verdict = "up_to_date") {
  DeviceRecord d;
  d.instance_id = id;
  d.description = "device " + id;
  d.class_name = "System";
  d.has_driver = true;
  d.provider = "Contoso";
  d.inf = "oem1.inf";
  d.version = version;
  d.date = "2024-01-01";
  d.verdict = verdict;
  return d;
}

RunRecord run(const std::string& machine, std::vector<DeviceRecord> devices) {
  RunRecord r;
  r.machine = machine;
  r.recorded_at = r.captured_at = "2026-12-01T03:00:00Z";
  r.os = "windows";
  r.trigger = "schedule";
  r.catalog = "{}";
  r.summary["up_to_date"] = static_cast<std::int64_t>(devices.size());
  r.devices = std::move(devices);
  return r;
}

std::vector<std::pair<ChangeKind, std::string>> kinds(const drvaudit::history::RunDiff& d) {
  std::vector<std::pair<ChangeKind, std::string>> out;
  for (const auto& c : d.changes) out.emplace_back(c.kind, c.instance_id);
  return out;
}
}  // namespace

TEST_CASE("history diff: each kind of change, regressions only for downgrades and new problem codes") {
  using K = ChangeKind;
  auto a = run("pc", {device("A", "1.0.0.1"), device("B", "2.0.0.0"), device("C", "3.0.0.0"), device("D", "1.0.0.0"),
                      device("E", "1.0.0.0"), device("F", "1.0.0.0", "update_available"), device("R", "1.0.0.0")});
  a.devices[3].problem_code = 0;
  a.devices[4].problem_code = 28;
  a.devices[5].best_version = "2.0.0.0";
  auto b = run("pc", {device("A", "1.0.0.2"), device("B", "1.9.0.0"), device("C", "3.0.0.0"), device("D", "1.0.0.0"),
                      device("E", "1.0.0.0"), device("F", "2.0.0.0"), device("N", "1.0.0.0")});
  b.devices[2].provider = "Fabrikam";  // C: another package, same version
  b.devices[3].problem_code = 10;      // D: a new problem
  b.devices[4].problem_code = 0;       // E: cleared
  b.devices[2].verdict = "update_available";
  b.devices[2].best_version = "4.0.0.0";
  const auto diff = drvaudit::history::diff_runs(a, b);
  const std::vector<std::pair<K, std::string>> expected = {
      {K::device_added, "N"},      {K::device_removed, "R"},    {K::driver_upgraded, "A"},  {K::driver_upgraded, "F"},
      {K::driver_downgraded, "B"}, {K::driver_changed, "C"},    {K::problem_appeared, "D"}, {K::problem_cleared, "E"},
      {K::update_appeared, "C"},   {K::update_disappeared, "F"}};
  CHECK(kinds(diff) == expected);
  CHECK(diff.regressions() == 2);  // B's downgrade and D's problem
  for (const auto& c : diff.changes) {
    if (c.kind == K::driver_downgraded) {
      CHECK(c.before == "2.0.0.0 (2024-01-01)");
      CHECK(c.after == "1.9.0.0 (2024-01-01)");
    }
    if (c.kind == K::problem_appeared) CHECK(c.after.rfind("Code 10", 0) == 0);
  }
  SECTION("a run compared with itself has no changes") { CHECK(drvaudit::history::diff_runs(b, b).changes.empty()); }
}

TEST_CASE("history diff: versions that are not four numbers are ordered as people read them") {
  using drvaudit::history::compare_versions;
  CHECK(compare_versions("6.1.0-13-amd64", "6.1.0-9-amd64") > 0);
  CHECK(compare_versions("1.10", "1.9") > 0);
  CHECK(compare_versions("2.0a", "2.0") > 0);
  CHECK(compare_versions("007", "7") == 0);
  CHECK(compare_versions("abc", "abd") < 0);
  auto a = run("pc", {device("K", "6.1.0-13-amd64")});
  auto b = run("pc", {device("K", "6.1.0-9-amd64")});
  const auto diff = drvaudit::history::diff_runs(a, b);
  REQUIRE(diff.changes.size() == 1);
  CHECK(diff.changes[0].kind == ChangeKind::driver_downgraded);
}

TEST_CASE("history store: runs round-trip, previous is per machine, pruning keeps the newest and names their reports") {
  drvaudit::test::TempDir dir;
  drvaudit::history::Store store(dir / "history.db");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = run("pc", {device("A", "1.0.0." + std::to_string(i)), device("B", "2.0.0.0")});
    ids.push_back(store.add(r));
    store.add_report(ids.back(), dir / ("report-" + std::to_string(i) + ".html"));
    store.add(run("other", {device("X", "1.0.0.0")}));
  }
  const auto got = store.get(ids[2]);
  REQUIRE(got);
  CHECK(got->machine == "pc");
  REQUIRE(got->devices.size() == 2);
  CHECK(got->devices[0].version == "1.0.0.2");
  CHECK(got->devices[1] == device("B", "2.0.0.0"));
  const auto before = store.previous(ids[2]);
  REQUIRE(before);
  CHECK(before->id == ids[1]);  // not the other machine's run in between
  CHECK_FALSE(store.previous(ids[0]));
  CHECK(store.latest("pc")->id == ids[4]);
  CHECK(store.list("pc").size() == 5);
  CHECK(store.list().size() == 10);

  const auto removed = store.prune("pc", 2);
  CHECK(removed.size() == 3);
  CHECK(store.list("pc").size() == 2);
  CHECK(store.list("other").size() == 5);  // another machine's runs are its own
  CHECK_FALSE(store.get(ids[0]));
  CHECK(store.reports(ids[4]).size() == 1);
  CHECK_THROWS_AS(store.prune("pc", 0), drvaudit::UsageError);
  store.set_exit_code(ids[4], 10);
  CHECK(store.get(ids[4])->exit_code == 10);
  CHECK(store.latest_by_trigger("schedule")->id == store.latest()->id);
}
