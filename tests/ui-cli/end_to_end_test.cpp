#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>
#include <set>

#include "common/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using drvaudit::test::TempDir;

namespace {
drvaudit::process::Result drvaudit_run(const TempDir& state, std::vector<std::string> args) {
  args.insert(args.begin(), {drvaudit::test::drvaudit_binary().string(), "--state-dir", state.path().string()});
  return drvaudit::process::run(args);
}
}  // namespace

#ifndef _WIN32
TEST_CASE("end to end: a scan of this machine's /sys gives every PCI device its Windows IDs") {
  TempDir state;
  const auto result = drvaudit_run(state, {"scan", "--format", "json"});
  REQUIRE(result.exit_code == 0);
  const auto doc = nlohmann::json::parse(result.out);
  CHECK(doc["schema"] == "drvaudit-snapshot/1");

  std::map<std::string, nlohmann::json> by_slot;
  for (const auto& d : doc["devices"]) {
    const std::string id = d["instance_id"];
    by_slot[fs::path(id).filename().string()] = d;
  }
  const std::regex first_id(R"(PCI\\VEN_[0-9A-F]{4}&DEV_[0-9A-F]{4}&SUBSYS_[0-9A-F]{8}&REV_[0-9A-F]{2})");
  std::size_t pci_devices = 0;
  for (const auto& entry : fs::directory_iterator("/sys/bus/pci/devices")) {
    ++pci_devices;
    const auto slot = entry.path().filename().string();
    INFO(slot);
    REQUIRE(by_slot.count(slot));
    const auto& d = by_slot[slot];
    const std::string first = d["hardware_ids"][0];
    CHECK(std::regex_match(first, first_id));
    const std::string ven_dev = first.substr(0, std::string("PCI\\VEN_xxxx&DEV_xxxx").size());
    bool has_ven_dev = false;
    for (const auto& list : {d["hardware_ids"], d["compatible_ids"]}) {
      for (const auto& id : list) has_ven_dev = has_ven_dev || id == ven_dev;
    }
    CHECK(has_ven_dev);
    // The installed driver is the one the kernel shows.
    std::error_code ec;
    const auto bound = fs::read_symlink(entry.path() / "driver", ec);
    if (!ec) {
      CHECK(d["driver"]["service"] == bound.filename().string());
    } else {
      CHECK(d["driver"].is_null());
    }
  }
  CHECK(pci_devices > 0);
}

TEST_CASE("end to end: export --csv writes one CRLF row per device") {
  TempDir state;
  const auto json = drvaudit_run(state, {"scan", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  const auto devices = nlohmann::json::parse(json.out)["devices"].size();
  const auto csv_file = state / "inventory.csv";
  REQUIRE(drvaudit_run(state, {"export", "--csv", csv_file.string()}).exit_code == 0);
  const auto text = drvaudit::test::read_file(csv_file);
  std::size_t crlf = 0;
  for (std::size_t pos = 0; (pos = text.find("\r\n", pos)) != std::string::npos; pos += 2) ++crlf;
  CHECK(crlf == devices + 1);  // header + one row per device (no device field holds a line break)
  // The fleet columns come first, so CSVs of many machines can be concatenated.
  CHECK(text.rfind("machine,captured_at,tool_version,description,class,manufacturer,", 0) == 0);
  CHECK(text.substr(text.size() - 2) == "\r\n");
  REQUIRE(drvaudit_run(state, {"export", "--csv", csv_file.string(), "--excel"}).exit_code == 0);
  CHECK(drvaudit::test::read_file(csv_file).rfind("\xEF\xBB\xBF"
                                                  "machine,",
                                                  0) == 0);
}

TEST_CASE("end to end: a saved snapshot replays to the same JSON") {
  TempDir state;
  const auto file = state / "machine.json";
  const auto first = drvaudit_run(state, {"scan", "--format", "json", "--save-snapshot", file.string()});
  REQUIRE(first.exit_code == 0);
  const auto replay = drvaudit_run(state, {"--snapshot", file.string(), "scan", "--format", "json"});
  REQUIRE(replay.exit_code == 0);
  CHECK(replay.out == first.out);
  CHECK(drvaudit::test::read_file(file) == first.out);
  // Global options work after the command name too.
  CHECK(drvaudit_run(state, {"scan", "--snapshot", file.string(), "--format", "json"}).out == first.out);
}
#endif

TEST_CASE("end to end: a truncated snapshot exits 1 with a message naming the file") {
  TempDir state;
  const auto file = state / "cut.json";
  drvaudit::test::write_file(file, R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"PCI\\VEN_8086)");
  const auto result = drvaudit_run(state, {"scan", "--snapshot", file.string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err,
             Catch::Contains("cut.json is not a snapshot: not JSON at line 1") && !Catch::Contains("json.exception"));
  CHECK(result.out.empty());
}

TEST_CASE("end to end: usage errors exit 2, --help and --version exit 0") {
  TempDir state;
  CHECK(drvaudit_run(state, {"scan", "--format", "xml"}).exit_code == 2);
  CHECK(drvaudit_run(state, {"no-such-command"}).exit_code == 2);
  CHECK(drvaudit_run(state, {}).exit_code == 2);
  const auto no_target = drvaudit_run(state, {"export"});
  CHECK(no_target.exit_code == 2);
  CHECK_THAT(no_target.err, Catch::Contains("--csv"));
  const auto help = drvaudit_run(state, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("Exit codes") && Catch::Contains("updates available"));
  CHECK(drvaudit_run(state, {"scan", "--help"}).exit_code == 0);
  const auto version = drvaudit_run(state, {"--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("drvaudit "));
}

TEST_CASE("end to end: --width 80 fits 80 columns, a pipe gets every character, and logs go to the state folder") {
  TempDir state;
  const auto result = drvaudit_run(state, {"-v", "scan", "--width", "80"});
  REQUIRE(result.exit_code == 0);
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    std::size_t width = 0;
    for (unsigned char c : line) width += (c & 0xC0) != 0x80;
    CHECK(width <= 80);
  }
  CHECK_THAT(result.out, Catch::StartsWith("DEVICE"));
  // Standard output is a pipe here: nothing is cut, exactly as with --wide.
  const auto piped = drvaudit_run(state, {"scan"});
  CHECK(piped.out.find("\xE2\x80\xA6") == std::string::npos);
  CHECK(piped.out == drvaudit_run(state, {"scan", "--wide"}).out);
  CHECK(fs::exists(state / "logs" / "drvaudit.log"));
  CHECK_THAT(drvaudit::test::read_file(state / "logs" / "drvaudit.log"), Catch::Contains(" devices"));
}
