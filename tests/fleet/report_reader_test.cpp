#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <random>

#include "common/error.hpp"
#include "fleet/connection.hpp"
#include "fleet/fleet_store.hpp"
#include "fleet/fleet_views.hpp"
#include "fleet/ingest.hpp"
#include "fleet/run_models.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

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

TEST_CASE("fleet store (SQLite): a version 1 database is migrated to version 3 with its rows, and answers the same") {
  drvaudit::test::TempDir dir;
  const auto week1 = drvaudit::fleet::read_report(fixture("laptop-week1.json"));
  const auto week2 = drvaudit::fleet::read_report(fixture("laptop-week2.json"));
  auto other = week1;
  other.machine = "DESK-7";
  other.devices[0].version = "31.0.101.9999";
  drvaudit::fleet::ResultTable before, vendor_before;
  {
    // A version 1 database as drvaudit 1 left it: its index on (id_set, run_id), no drivers or
    // run_models, three reports of two machines stored.
    drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(dir / "fleet.db"));
    store.ingest(week1, {"w1.json", 1, 1});
    store.ingest(week2, {"w2.json", 1, 1});
    store.ingest(other, {"other.json", 1, 1});
    auto& c = store.connection();
    before = drvaudit::fleet::versions_view(c, "PCI\\VEN_8086&DEV_9A49");
    vendor_before = drvaudit::fleet::versions_view(c, "PCI\\VEN_8086");
    c.execute(
        "DROP INDEX devices_by_run_model; CREATE INDEX devices_by_run ON devices (run_id); "
        "CREATE INDEX devices_by_model ON devices (id_set, run_id); DROP TABLE run_models; DROP TABLE drivers; "
        "DELETE FROM fleet_schema WHERE version > 1");
    CHECK(store.schema_version() == 1);
  }
  drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(dir / "fleet.db"));
  CHECK(store.schema_version() == 3);
  auto& c = store.connection();
  const auto indexes =
      c.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'devices' AND sql IS NOT NULL");
  REQUIRE(indexes.rows.size() == 1);
  CHECK(std::get<std::string>(indexes.rows[0][0]) == "devices_by_run_model");
  CHECK(c.query("SELECT count(*) FROM devices").rows[0][0] == drvaudit::fleet::Value{std::int64_t{21}});
  CHECK(c.query("SELECT count(*) FROM run_models").rows[0][0] == drvaudit::fleet::Value{std::int64_t{3}});
  REQUIRE(before.rows.size() == 2);
  CHECK(drvaudit::fleet::versions_view(c, "PCI\\VEN_8086&DEV_9A49").rows == before.rows);
  CHECK(drvaudit::fleet::versions_view(c, "PCI\\VEN_8086").rows == vendor_before.rows);
  // A database from a newer drvaudit is refused.
  c.query("INSERT INTO fleet_schema (version) VALUES (4)");
  CHECK_THROWS_WITH(drvaudit::fleet::FleetStore(drvaudit::fleet::open_sqlite(dir / "fleet.db")),
                    Catch::Contains("schema version 4, newer than this drvaudit knows"));
}

TEST_CASE("fleet versions: a machine counts once however many of its devices share the ID") {
  drvaudit::test::TempDir dir;
  drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(dir / "fleet.db"));
  auto laptop = drvaudit::fleet::read_report(fixture("laptop-week1.json"));
  // Two more devices with the vendor's compatible ID: one a second model with the GPU's driver, one
  // a device of the GPU's own model (the same id set) with no driver.
  auto second = laptop.devices[0];
  second.instance_id = "PCI\\VEN_8086&DEV_9A60\\1";
  second.hardware_ids = {"PCI\\VEN_8086&DEV_9A60", "PCI\\VEN_8086"};
  laptop.devices.push_back(second);
  auto third = laptop.devices[0];
  third.instance_id += "-2";
  third.has_driver = false;
  third.provider = third.version = third.date = third.inf = "";
  laptop.devices.push_back(third);
  laptop.summary[laptop.devices[0].verdict] += 2;
  auto desk = drvaudit::fleet::read_report(fixture("laptop-week1.json"));
  desk.machine = "DESK-7";
  store.ingest(laptop, {"laptop.json", 1, 1});
  store.ingest(desk, {"desk.json", 1, 1});
  auto& c = store.connection();
  const auto gpu = laptop.devices[0].version;
  const auto v = drvaudit::fleet::versions_view(c, "pci\\ven_8086");
  using drvaudit::fleet::Value;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> got;
  for (const auto& row : v.rows)
    got[std::get<std::string>(row[0])] = {std::get<std::int64_t>(row[4]), std::get<std::int64_t>(row[5])};
  CHECK(got.at(gpu) == std::pair<std::int64_t, std::int64_t>{2, 3});  // two machines, three devices
  CHECK(got.at("(no driver)") == std::pair<std::int64_t, std::int64_t>{1, 1});
  CHECK(std::get<std::string>(v.rows[0][0]) == gpu);  // most machines first
  const auto model = drvaudit::fleet::versions_view(c, "PCI\\VEN_8086&DEV_9A60");
  REQUIRE(model.rows.size() == 1);
  CHECK(model.rows[0][4] == Value{std::int64_t{1}});
  CHECK(drvaudit::fleet::versions_view(c, "PCI\\VEN_FFFF").rows.empty());
  // A damaged run_models row is an error that says so, never a wrong count.
  c.query("UPDATE run_models SET entries = '1.x'");
  CHECK_THROWS_WITH(drvaudit::fleet::versions_view(c, "pci\\ven_8086"), Catch::Contains("is damaged"));
}

TEST_CASE("run_models text: round trip, and every broken form refused") {
  using drvaudit::fleet::decode_run_models;
  using drvaudit::fleet::encode_run_models;
  using drvaudit::fleet::ModelDriverCount;
  const auto text = encode_run_models({{7, 2, 1}, {3, 9, 2}, {7, 2, 1}, {3, 1, 1}});
  CHECK(text == "3.1 3.9*2 7.2*2");
  CHECK(decode_run_models(text) == std::vector<ModelDriverCount>{{3, 1, 1}, {3, 9, 2}, {7, 2, 2}});
  CHECK(encode_run_models({}).empty());
  CHECK(decode_run_models("").empty());
  for (const char* bad : {"1", "1.", ".1", "1.2 ", " 1.2", "1.2  3.4", "1.2*", "1.2*0", "0.1", "1.-2", "1.2x",
                          "1.2*3*4", "99999999999999999999.1", "1,2", "1.2*1000001"})
    CHECK_THROWS_AS(decode_run_models(bad), drvaudit::ParseError);
  // Any text at all: decoded entries or ParseError, nothing else.
  std::mt19937 random(15);
  const std::string alphabet = "0123456789. *-x";
  for (int i = 0; i < 20000; ++i) {
    std::string s(random() % 12, ' ');
    for (auto& ch : s) ch = alphabet[random() % alphabet.size()];
    try {
      for (const auto& e : decode_run_models(s)) CHECK((e.id_set > 0 && e.driver > 0 && e.devices > 0));
    } catch (const drvaudit::ParseError&) {
    }
  }
}

TEST_CASE(
    "fleet report reader: duplicate members, impossible times, out-of-range numbers and giant strings are refused") {
  const auto text = fixture("laptop-week1.json");
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "2026-11-01T03:00:00Z", "2026-13-45T99:99:99Z")),
                    Catch::Contains("valid YYYY-MM-DDTHH:MM:SSZ"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"machine\": \"THINKPAD-T14\"",
                                                          "\"machine\": \"THINKPAD-T14\", \"machine\": \"PC-VICTIM\"")),
                    Catch::Contains("appears twice"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"id\": 1,", "\"id\": 1, \"id\": 2,")),
                    Catch::Contains("appears twice"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"problem_code\": 0,", "\"problem_code\": -1,")),
                    Catch::Contains("out of range"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"id\": 1,", "\"id\": -5,")),
                    Catch::Contains("out of range"));
  CHECK_THROWS_WITH(drvaudit::fleet::read_report(replaced(text, "\"machine\": \"THINKPAD-T14\"",
                                                          "\"machine\": \"" + std::string(100'000, 'A') + "\"")),
                    Catch::Contains("longer than 255 bytes"));
  CHECK_THROWS_WITH(
      drvaudit::fleet::read_report(replaced(text, "\"machine\": \"THINKPAD-T14\"", "\"machine\": \"../PC-VICTIM\"")),
      Catch::Contains("slashes"));
}

#ifndef _WIN32
TEST_CASE("fleet ingest: a report in another machine's folder, from the future, huge, a link or a FIFO is skipped") {
  drvaudit::test::TempDir t;
  const auto share = t / "share";
  std::filesystem::create_directories(share / "THINKPAD-T14");
  std::filesystem::create_directories(share / "PC-ATTACKER");
  const auto good = fixture("laptop-week1.json");
  drvaudit::test::write_file(share / "THINKPAD-T14" / "week1.json", good);
  // The attacker's folder holds a report for the laptop: refused, so the laptop's history stays its own.
  drvaudit::test::write_file(share / "PC-ATTACKER" / "spoof.json",
                             replaced(fixture("laptop-week2.json"), "2026-11-08", "2026-11-09"));
  drvaudit::test::write_file(share / "THINKPAD-T14" / "future.json",
                             replaced(good, "2026-11-01T03:00:00Z", "2099-01-01T00:00:00Z"));
  {
    std::FILE* f = std::fopen((share / "THINKPAD-T14" / "sparse.json").c_str(), "w");
    REQUIRE(f);
    REQUIRE(::ftruncate(::fileno(f), std::int64_t{50} << 30) == 0);
    std::fclose(f);
  }
  REQUIRE(::mkfifo((share / "THINKPAD-T14" / "fifo.json").c_str(), 0600) == 0);
  drvaudit::fleet::FleetStore store(drvaudit::fleet::open_sqlite(t / "fleet.db"));
  const auto summary = drvaudit::fleet::ingest_folders({&store}, {share});
  CHECK(summary.added == 1);
  std::map<std::string, std::string> bad;
  for (const auto& [path, why] : summary.bad) bad[std::filesystem::path(path).filename().string()] = why;
  CHECK_THAT(bad["spoof.json"], Catch::Contains("sits in the folder PC-ATTACKER"));
  CHECK_THAT(bad["future.json"], Catch::Contains("in the future"));
  CHECK_THAT(bad["sparse.json"], Catch::Contains("--max-report-size"));
  // A FIFO is not listed as a report file at all, or refused: either way never waited on.
  CHECK((bad.count("fifo.json") == 0 || bad["fifo.json"].find("not a regular file") != std::string::npos));
  CHECK(store.connection().query("SELECT count(*) FROM runs").rows[0][0] == drvaudit::fleet::Value{std::int64_t{1}});
}
#endif

TEST_CASE("fleet report reader: the fuzzer's findings are refused, not undefined behaviour") {
  // A recorded_at in the year 4052: the nanosecond clock would overflow (UBSan's report).
  const auto file = std::filesystem::path(DRVAUDIT_TEST_SOURCE_DIR) / "tests" / "fixtures" / "fuzz-regressions" /
                    "fleet-report-year-overflow.json";
  CHECK_THROWS_AS(drvaudit::fleet::read_report(drvaudit::test::read_file(file)), drvaudit::ParseError);
}
