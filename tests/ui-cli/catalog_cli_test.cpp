#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "common/process.hpp"
#include "tests/support/temp_dir.hpp"

using drvaudit::test::TempDir;

namespace {
drvaudit::process::Result drvaudit_run(const TempDir& state, std::vector<std::string> args) {
  args.insert(args.begin(), {drvaudit::test::drvaudit_binary().string(), "--state-dir", state.path().string()});
  return drvaudit::process::run(args);
}
const std::string kSample = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/samples/windows-laptop.snapshot.json";
const std::string kSampleCatalog = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/catalog";
}  // namespace

TEST_CASE("cli: catalog index of the open corpus, then search finds qemupciserial.inf") {
  TempDir state;
  const auto index =
      drvaudit_run(state, {"catalog", "index", (drvaudit::test::shared_dir() / "corpora/inf-open").string(),
                           "--target-os", "10.0.22631", "--arch", "amd64"});
  REQUIRE(index.exit_code == 0);
  CHECK_THAT(index.out, Catch::Contains("packages indexed") && Catch::Contains("templates"));
  const auto search = drvaudit_run(state, {"catalog", "search", "PCI\\VEN_1B36&DEV_0002"});
  REQUIRE(search.exit_code == 0);
  CHECK_THAT(search.out,
             Catch::Contains("qemupciserial.inf") && Catch::Contains("DriverVer 05/21/2022, 100.90.104.22100"));
  const auto again =
      drvaudit_run(state, {"catalog", "index", (drvaudit::test::shared_dir() / "corpora/inf-open").string(),
                           "--target-os", "10.0.22631", "--arch", "amd64"});
  CHECK_THAT(again.out, Catch::Contains("0 added, 0 updated, 0 removed"));
  CHECK(drvaudit_run(state, {"catalog", "search", "PCI\\VEN_FFFF&DEV_0001"}).exit_code == 1);
  const auto sources = drvaudit_run(state, {"catalog", "sources", "--format", "json"});
  REQUIRE(sources.exit_code == 0);
  const auto list = nlohmann::json::parse(sources.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["packages"].get<int>() == 18);  // the .inf files that are not templates
  CHECK_THAT(drvaudit_run(state, {"catalog", "stats"}).out, Catch::Contains("target:       Windows 10.0.22631 amd64"));
}

TEST_CASE("cli: the sample laptop shows every verdict and exits 10") {
  TempDir state;
  // The sample laptop runs Windows 11 23H2: evaluate the catalog for it, not for the machine running
  // the test (Wine reports Windows 7, for which the sample's Windows 10 sections do not apply).
  REQUIRE(drvaudit_run(state, {"catalog", "index", kSampleCatalog, "--target-os", "10.0.22631", "--arch", "amd64"})
              .exit_code == 0);
  const auto table = drvaudit_run(state, {"--snapshot", kSample, "audit"});
  CHECK(table.exit_code == 10);
  const auto json = drvaudit_run(state, {"--snapshot", kSample, "audit", "--format", "json"});
  REQUIRE(json.exit_code == 10);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["schema"] == "drvaudit-audit/1");
  std::map<std::string, std::string> verdicts;
  for (const auto& d : doc["devices"]) verdicts[d["description"]] = d["verdict"];
  CHECK(verdicts["Intel(R) Iris(R) Xe Graphics"] == "update_available");
  CHECK(verdicts["Standard NVM Express Controller"] == "update_available");
  CHECK(verdicts["Intel(R) Wi-Fi 6 AX201 160MHz"] == "better_match");
  CHECK(verdicts["Realtek(R) Audio"] == "up_to_date");
  CHECK(verdicts["USB device 06CB:00BD"] == "missing_driver");
  CHECK(verdicts["Unknown device"] == "no_catalog_data");
  const auto& gpu = doc["devices"][0];
  CHECK(gpu["best"]["inf"] == "iigd_dch.inf");
  CHECK(gpu["best"]["rank"] == "0x00E62001");
  CHECK(gpu["best"]["match_type"] == "compatible_id_to_hardware_id");
  CHECK(gpu["best"]["matched_id"] == "PCI\\VEN_8086&DEV_9A49");
  CHECK(gpu["installed"]["rank"] == "0x00E62001");
  CHECK(gpu["installed"]["rank_source"] == "os");
  CHECK(doc["summary"]["update_available"] == 2);

  const auto explain = drvaudit_run(state, {"--snapshot", kSample, "audit", "--explain", "Realtek"});
  CHECK_THAT(explain.out,
             Catch::Contains("worse rank (0x00FF2003 > 0x00FF0001)") && Catch::Contains("Verdict: up_to_date"));
  CHECK(drvaudit_run(state, {"--snapshot", kSample, "audit", "--explain", "no-such-device"}).exit_code == 2);

  const auto only_net = drvaudit_run(state, {"--snapshot", kSample, "audit", "--category", "Net", "--format", "csv"});
  CHECK(only_net.exit_code == 10);
  CHECK(std::count(only_net.out.begin(), only_net.out.end(), '\n') == 2);  // header + the Wi-Fi card
}

TEST_CASE("cli: an audit with an empty catalog says so and exits 0 when nothing is actionable") {
  TempDir state;
  const auto result = drvaudit_run(
      state, {"--snapshot", std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/tests/fixtures/hostile.snapshot.json", "audit"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("the catalog is empty"));
  CHECK_THAT(result.out, Catch::Contains("no_catalog_data"));
}

TEST_CASE("cli: the main job, an audit of this machine, completes") {
  TempDir state;
  const auto result = drvaudit_run(state, {"audit", "--format", "json"});
  CHECK((result.exit_code == 0 || result.exit_code == 10));
  const auto doc = nlohmann::json::parse(result.out);
  CHECK(doc["devices"].size() > 0);
  for (const auto& d : doc["devices"]) CHECK_FALSE(d["verdict"].get<std::string>().empty());
}
