#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "fleet/connection.hpp"
#include "fleet/fleet_store.hpp"
#include "fleet/fleet_views.hpp"
#include "tests/support/temp_dir.hpp"

// The fleet's report reader on reports that schedule run wrote (tests/fixtures/fleet), damaged ones,
// and the SQLite store: idempotent ingest, the latest run, whole reports only.
namespace {
std::string fixture(const char* name) {
  return drvaudit::test::read_file(std::filesystem::path(DRVAUDIT_TEST_SOURCE_DIR) / "tests" / "fixtures" / "fleet" /
                                   name);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("fleet report reader: a weekly report with its devices, hardware IDs and changes") {
  const auto week1 = drvaudit::fleet::read_report(fixture("laptop-week1.json"));
  CHECK(week1.machine == "THINKPAD-T14");
  CHECK(week1.run == 1);
  CHECK(week1.recorded_at == "2026-11-01T03:00:00Z");
  CHECK(week1.os == "windows");
  CHECK(week1.devices.size() == 7);
  CHECK_FALSE(week1.has_diff);
  const auto& wifi = *std::find_if(week1.devices.begin(), week1.devices.end(),
                                   [](const auto& d) { return d.description.find("Wi-Fi") != std::string::npos; });
  CHECK(wifi.version == "22.200.0.6");
  CHECK(wifi.hardware_ids.front() == "PCI\\VEN_8086&DEV_A0F0&SUBSYS_00748086&REV_20");
  CHECK(std::find(wifi.hardware_ids.begin(), wifi.hardware_ids.end(), "PCI\\VEN_8086&DEV_A0F0") !=
        wifi.hardware_ids.end());
  const auto week2 = drvaudit::fleet::read_report(fixture("laptop-week2.json"));
  CHECK(week2.has_diff);
  CHECK(week2.changes.empty());  // the same laptop twice
}

TEST_CASE("fleet report reader: damaged reports are refused saying where") {
  const auto text = fixture("laptop-week1.json");
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(text.substr(0, text.size() / 2)),
                    Catch::Contains("not a valid report"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"drvaudit-report/1\"", "\"drvaudit-audit/3\"")),
                    Catch::Contains("schema: not drvaudit-report/1"));
  CHECK_THROWS_WITH(
      drvaudit::fleet::read_report(replaced(text, "\"verdict\": \"up_to_date\"", "\"verdict\": \"fine\"")),
      Catch::Contains("audit.devices[") && Catch::Contains("not a verdict"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"update_available\": 2", "\"update_available\": 3")),
                    Catch::Contains("audit.summary: update_available is 3 but 2 devices"));
  CHECK_THROWS_AS(drvaudit::fleet::read_report("[]"), drvaudit::ParseError);
  CHECK_THROWS_AS(drvaudit::fleet::read_report(""), drvaudit::ParseError);
  CHECK_THROWS_AS(drvaudit::fleet::read_report("{\"schema\": \"drvaudit-report/1\"}"), drvaudit::ParseError);
}

TEST_CASE("fleet store (SQLite): idempotent ingest, the newest run answers, an older one is history") {
  drvaudit::test::TempDir dir;
  drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(dir / "fleet.db"));
  CHECK(store.schema_version() == drvaudit::fleet::kSchemaVersion);
  const auto week1 = drvaudit::fleet::read_report(fixture("laptop-week1.json"));
  const auto week2 = drvaudit::fleet::read_report(fixture("laptop-week2.json"));
  using drvaudit::fleet::IngestOutcome;
  CHECK(store.ingest(week2, {"w2.json", 1, 1}) == IngestOutcome::added);
  CHECK(store.ingest(week1, {"w1.json", 1, 1}) == IngestOutcome::added);
  CHECK(store.ingest(week1, {"copy-of-w1.json", 1, 1}) == IngestOutcome::already_stored);
  CHECK(store.known({"w1.json", 1, 1}));
  CHECK_FALSE(store.known({"w1.json", 2, 1}));
  auto& c = store.connection();
  const auto machines = drvaudit::fleet::machines_view(c, "2026-11-05T00:00:00Z");
  REQUIRE(machines.rows.size() == 1);
  CHECK(std::get<std::string>(machines.rows[0][1]) == "2026-11-08T03:00:00Z");  // week 2, ingested first, stays
  CHECK(std::get<std::int64_t>(machines.rows[0].back()) == 0);                  // not stale
  const auto runs = c.query("SELECT count(*) FROM runs");
  CHECK(std::get<std::int64_t>(runs.rows[0][0]) == 2);
  const auto devices = c.query("SELECT count(*) FROM devices");
  CHECK(std::get<std::int64_t>(devices.rows[0][0]) == 14);
  const auto versions = drvaudit::fleet::versions_view(c, "pci\\ven_8086&dev_a0f0");
  REQUIRE(versions.rows.size() == 1);
  CHECK(std::get<std::string>(versions.rows[0][0]) == "22.200.0.6");
  // A report that fails halfway (its last insert refused) leaves nothing, not even its machine's row.
  auto broken = week1;
  broken.machine = "BROKEN";
  c.execute("CREATE TRIGGER refuse BEFORE INSERT ON changes BEGIN SELECT RAISE(ABORT, 'refused'); END");
  broken.changes.push_back({"driver_upgraded", "X", "x", "1", "2", false});
  CHECK_THROWS(store.ingest(broken, {"broken.json", 1, 1}));
  CHECK(c.query("SELECT count(*) FROM machines WHERE name = 'BROKEN'").rows[0][0] ==
        drvaudit::fleet::Value{std::int64_t{0}});
  CHECK_FALSE(store.known({"broken.json", 1, 1}));
}

TEST_CASE("fleet store (SQLite): a version 1 database is migrated to version 2 with its rows, and answers the same") {
  drvaudit::test::TempDir dir;
  const auto week1 = drvaudit::fleet::read_report(fixture("laptop-week1.json"));
  {
    // A version 1 database as drvaudit 1 left it: its index on (id_set, run_id), one report stored.
    drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(dir / "fleet.db"));
    auto& c = store.connection();
    c.execute(
        "DROP INDEX devices_by_run_model; CREATE INDEX devices_by_run ON devices (run_id); "
        "CREATE INDEX devices_by_model ON devices (id_set, run_id); DELETE FROM fleet_schema WHERE version = 2");
    store.ingest(week1, {"w1.json", 1, 1});
    CHECK(store.schema_version() == 1);
  }
  drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(dir / "fleet.db"));
  CHECK(store.schema_version() == 2);
  auto& c = store.connection();
  const auto indexes =
      c.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'devices' AND sql IS NOT NULL");
  REQUIRE(indexes.rows.size() == 1);
  CHECK(std::get<std::string>(indexes.rows[0][0]) == "devices_by_run_model");
  CHECK(c.query("SELECT count(*) FROM devices").rows[0][0] == drvaudit::fleet::Value{std::int64_t{7}});
  const auto versions = drvaudit::fleet::versions_view(c, "PCI\\VEN_8086&DEV_A0F0");
  REQUIRE(versions.rows.size() == 1);
  CHECK(std::get<std::string>(versions.rows[0][0]) == "22.200.0.6");
  const auto plan = c.query(
      "EXPLAIN QUERY PLAN SELECT count(*) FROM latest l CROSS JOIN devices d WHERE d.run_id = l.run_id AND d.id_set "
      "IN (SELECT set_id FROM id_set_members WHERE hardware_id = 'X')");
  bool by_index = false;
  for (const auto& row : plan.rows)
    by_index = by_index || std::get<std::string>(row.back()).find("devices_by_run_model") != std::string::npos;
  CHECK(by_index);  // the versions view reaches devices through the index, never by a scan
  // A database from a newer drvaudit is refused.
  c.query("INSERT INTO fleet_schema (version) VALUES (3)");
  CHECK_THROWS_WITH(drvaudit::fleet::FleetStore(drvaudit::fleet::open_sqlite(dir / "fleet.db")),
                    Catch::Contains("schema version 3, newer than this drvaudit knows"));
}
