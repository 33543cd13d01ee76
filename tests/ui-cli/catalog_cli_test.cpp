#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#endif

#include "common/lock_file.hpp"
#include "common/process.hpp"
#include "common/sqlite.hpp"
#include "common/text.hpp"
#include "tests/support/temp_dir.hpp"

using drvaudit::test::TempDir;

namespace {
drvaudit::process::Result drvaudit_run(const TempDir& state, std::vector<std::string> args) {
  args.insert(args.begin(), {drvaudit::test::drvaudit_binary().string(), "--state-dir", state.path().string()});
  return drvaudit::process::run(args);
}
long this_process_id() {
#ifdef _WIN32
  return static_cast<long>(GetCurrentProcessId());
#else
  return static_cast<long>(::getpid());
#endif
}
const std::string kSample = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/samples/windows-laptop.snapshot.json";
const std::string kSampleCatalog = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/catalog";
}  // namespace

TEST_CASE("cli: catalog index of the open corpus, then search finds qemupciserial.inf") {
  TempDir state;
  const auto index = drvaudit_run(state, {"catalog", "index", (drvaudit::test::corpus_dir() / "inf-open").string()});
  REQUIRE(index.exit_code == 0);
  CHECK_THAT(index.out, Catch::Contains("packages indexed") && Catch::Contains("templates"));
  const auto search = drvaudit_run(state, {"catalog", "search", "PCI\\VEN_1B36&DEV_0002"});
  REQUIRE(search.exit_code == 0);
  CHECK_THAT(search.out,
             Catch::Contains("qemupciserial.inf") && Catch::Contains("DriverVer 05/21/2022, 100.90.104.22100"));
  // The old per-target options are accepted with a warning, and change nothing.
  const auto again = drvaudit_run(state, {"catalog", "index", (drvaudit::test::corpus_dir() / "inf-open").string(),
                                          "--target-os", "10.0.19045", "--arch", "amd64"});
  CHECK_THAT(again.out, Catch::Contains("0 added, 0 updated, 0 removed"));
  CHECK_THAT(again.err, Catch::Contains("--target-os/--arch are ignored"));
  CHECK(drvaudit_run(state, {"catalog", "search", "PCI\\VEN_FFFF&DEV_0001"}).exit_code == 1);
  const auto sources = drvaudit_run(state, {"catalog", "sources", "--format", "json"});
  REQUIRE(sources.exit_code == 0);
  const auto list = nlohmann::json::parse(sources.out)["sources"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["packages"].get<int>() == 18);  // the .inf files that are not templates
  CHECK_THAT(drvaudit_run(state, {"catalog", "stats"}).out, Catch::Contains("packages:     18"));

  // catalog list: what the catalog offers one Windows version; the TrEE sample has no x86 section.
  const auto listed =
      drvaudit_run(state, {"catalog", "list", "--target-os", "10.0.22631", "--arch", "x64", "--format", "json"});
  REQUIRE(listed.exit_code == 0);
  const auto lines = nlohmann::json::parse(listed.out)["lines"];
  bool tree = false;
  for (const auto& l : lines) tree = tree || l["hardware_id"] == "ACPI\\TrEECSMP";
  CHECK(tree);
  const auto x86 = nlohmann::json::parse(
      drvaudit_run(state, {"catalog", "list", "--target-os", "10.0.22631", "--arch", "x86", "--format", "json"})
          .out)["lines"];
  for (const auto& l : x86) CHECK(l["hardware_id"] != "ACPI\\TrEECSMP");
  CHECK(x86.size() != lines.size());
  const auto problems = drvaudit_run(state, {"catalog", "problems", "--format", "csv"});
  REQUIRE(problems.exit_code == 0);
  CHECK_THAT(problems.out, Catch::Contains("file,status,line,message") && Catch::Contains("template"));
}

TEST_CASE("cli: the sample laptop shows every verdict and exits 10") {
  TempDir state;
  REQUIRE(drvaudit_run(state, {"catalog", "index", kSampleCatalog}).exit_code == 0);
  const auto table = drvaudit_run(state, {"--snapshot", kSample, "audit"});
  CHECK(table.exit_code == 10);
  CHECK_THAT(table.out, Catch::Contains("catalog evaluated for Windows 10.0.22631 amd64 (the machine's own)"));
  const auto json = drvaudit_run(state, {"--snapshot", kSample, "audit", "--format", "json"});
  REQUIRE(json.exit_code == 10);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["schema"] == "drvaudit-audit/3");
  CHECK(doc["target"]["version"] == "10.0.22631");
  CHECK(doc["target"]["source"] == "machine");
  std::map<std::string, std::string> verdicts;
  for (const auto& d : doc["devices"]) verdicts[d["description"]] = d["verdict"];
  CHECK(verdicts["Intel(R) Iris(R) Xe Graphics"] == "update_available");
  CHECK(verdicts["Standard NVM Express Controller"] == "update_available");
  CHECK(verdicts["Intel(R) Wi-Fi 6 AX201 160MHz"] == "better_match");
  CHECK(verdicts["Realtek(R) Audio"] == "up_to_date");  // the pack's modified INF is not signed any more
  CHECK(verdicts["Intel(R) Serial IO I2C Host Controller - A0E8"] == "possible_update");
  CHECK(verdicts["USB device 06CB:00BD"] == "missing_driver");
  CHECK(verdicts["Unknown device"] == "no_catalog_data");
  const auto& gpu = doc["devices"][0];
  CHECK(gpu["best"]["inf"] == "iigd_dch.inf");
  CHECK(gpu["best"]["rank"] == "0x00E62001");
  CHECK(gpu["best"]["match_type"] == "compatible_id_to_hardware_id");
  CHECK(gpu["best"]["matched_id"] == "PCI\\VEN_8086&DEV_9A49");
  CHECK(gpu["best"]["signature"]["status"] == "signed");
  CHECK(gpu["best"]["signature"]["signer"] == "drvaudit sample publisher (test key, trusted by no Windows)");
  CHECK(gpu["installed"]["rank"] == "0x00E62001");
  CHECK(gpu["installed"]["rank_source"] == "os");
  CHECK(doc["summary"]["update_available"] == 2);
  CHECK(doc["summary"]["possible_update"] == 1);

  const auto explain = drvaudit_run(state, {"--snapshot", kSample, "audit", "--explain", "Realtek"});
  CHECK_THAT(explain.out, Catch::Contains("worse rank (0x80FF0001 > 0x00FF0001)") &&
                              Catch::Contains("not signed: the INF is not in its catalog (modified after signing)") &&
                              Catch::Contains("Verdict: up_to_date"));
  CHECK(explain.exit_code == 0);  // the explained device needs nothing
  const auto serial = drvaudit_run(state, {"--snapshot", kSample, "audit", "--explain", "Serial IO"});
  CHECK(serial.exit_code == 0);  // possible_update is shown, not acted on
  CHECK_THAT(serial.out, Catch::Contains("missing: the installed driver's rank is unknown"));
  CHECK(drvaudit_run(state, {"--snapshot", kSample, "audit", "--explain", "Wi-Fi"}).exit_code == 10);
  CHECK(drvaudit_run(state, {"--snapshot", kSample, "audit", "--explain", "no-such-device"}).exit_code == 2);

  const auto only_net = drvaudit_run(state, {"--snapshot", kSample, "audit", "--category", "Net", "--format", "csv"});
  CHECK(only_net.exit_code == 10);
  CHECK(std::count(only_net.out.begin(), only_net.out.end(), '\n') == 2);  // header + the Wi-Fi card
}

TEST_CASE("cli: one catalog, two snapshots of different Windows versions, two answers") {
  TempDir state;
  // One package with a Windows 10 section and a Windows 11 section of a newer driver for one card.
  drvaudit::test::write_file(
      state / "pkg" / "card.inf",
      "[Version]\nSignature=$Windows NT$\nClass=Net\nProvider=ACME\nDriverVer=01/01/2025,2.0.0.0\n"
      "[Manufacturer]\nACME=M,NTamd64.10.0,NTamd64.10.0...22000\n"
      "[M.NTamd64.10.0]\nOld=Inst10,PCI\\VEN_1234&DEV_0001\n"
      "[M.NTamd64.10.0...22000]\nNew=Inst11,PCI\\VEN_1234&DEV_0001\n"
      "[Inst10.NT]\nDriverVer=01/01/2020,1.0.0.0\n[Inst11.NT]\n");
  REQUIRE(drvaudit_run(state, {"catalog", "index", (state / "pkg").string()}).exit_code == 0);
  auto snapshot = [&](const std::string& name, const std::string& version) {
    nlohmann::json doc = {
        {"schema", "drvaudit-snapshot/1"},
        {"machine", {{"hostname", name}, {"os", "windows"}, {"os_version", version}, {"arch", "amd64"}}},
        {"devices", nlohmann::json::array()}};
    doc["devices"].push_back(
        {{"instance_id", "PCI\\VEN_1234&DEV_0001\\1"},
         {"bus", "PCI"},
         {"class", "Net"},
         {"description", "ACME card"},
         {"manufacturer", "ACME"},
         {"hardware_ids", {"PCI\\VEN_1234&DEV_0001"}},
         {"compatible_ids", nlohmann::json::array()},
         {"problem_code", 0},
         {"present", true},
         {"driver", {{"inf", "oem3.inf"}, {"version", "1.5.0.0"}, {"date", "2022-01-01"}, {"rank", "0x80FF0000"}}}});
    const auto path = state / (name + ".json");
    drvaudit::test::write_file(path, doc.dump());
    return path.string();
  };
  const auto w10 = nlohmann::json::parse(
      drvaudit_run(state, {"--snapshot", snapshot("w10", "10.0.19045"), "audit", "--format", "json"}).out);
  const auto w11 = nlohmann::json::parse(
      drvaudit_run(state, {"--snapshot", snapshot("w11", "10.0.22631"), "audit", "--format", "json"}).out);
  CHECK(w10["devices"][0]["verdict"] == "up_to_date");  // 1.0.0.0 of 2020 is older than what it runs
  CHECK(w11["devices"][0]["verdict"] == "update_available");
  CHECK(w11["devices"][0]["best"]["models_section"] == "M.NTamd64.10.0...22000");
  // --target-os overrides the snapshot's own version.
  const auto forced = nlohmann::json::parse(drvaudit_run(state, {"--snapshot", snapshot("w10b", "10.0.19045"), "audit",
                                                                 "--target-os", "10.0.22631", "--format", "json"})
                                                .out);
  CHECK(forced["devices"][0]["verdict"] == "update_available");
  CHECK(forced["target"]["source"] == "given");
  // A snapshot that does not say its Windows is audited for the default target, with a warning.
  nlohmann::json bare = {{"schema", "drvaudit-snapshot/1"}, {"devices", nlohmann::json::array()}};
  drvaudit::test::write_file(state / "bare.json", bare.dump());
  const auto warned = drvaudit_run(state, {"--snapshot", (state / "bare.json").string(), "audit"});
  CHECK_THAT(warned.err, Catch::Contains("does not say which Windows it is from"));
  CHECK_THAT(warned.out, Catch::Contains("(assumed)"));
}

TEST_CASE("cli: an audit with an empty catalog says so and exits 0 when nothing is actionable") {
  TempDir state;
  const auto result = drvaudit_run(
      state, {"--snapshot", std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/tests/fixtures/hostile.snapshot.json", "audit"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("the catalog is empty"));
  CHECK_THAT(result.out, Catch::Contains("no catalog data"));
}

TEST_CASE("cli: the main job, an audit of this machine, completes") {
  TempDir state;
  const auto result = drvaudit_run(state, {"audit", "--format", "json"});
  // Clean, updates available, or devices that need attention (Wine's have problem codes).
  CHECK((result.exit_code == 0 || result.exit_code == 10 || result.exit_code == 11));
  const auto doc = nlohmann::json::parse(result.out);
  CHECK(doc["devices"].size() > 0);
  for (const auto& d : doc["devices"]) CHECK_FALSE(d["verdict"].get<std::string>().empty());
}

TEST_CASE("cli: a catalog held by another drvaudit or another process is busy (exit 5, saying who)") {
  TempDir state;
  const auto folder = (drvaudit::test::corpus_dir() / "inf-open").string();
  REQUIRE(drvaudit_run(state, {"catalog", "index", folder}).exit_code == 0);
  {
    const drvaudit::LockFile held(state / "catalog.db.lock", "the catalog", std::chrono::milliseconds(0));
    const auto r = drvaudit_run(state, {"catalog", "index", folder});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("another drvaudit (pid " + std::to_string(this_process_id()) +
                                      ") is using the catalog"));
    // Readers are not writers: an audit goes on while the catalog is being written.
    CHECK(drvaudit_run(state, {"catalog", "stats"}).exit_code == 0);
  }
  {
    // Not drvaudit: a write transaction held by another SQLite user (a backup tool, sqlite3).
    drvaudit::sqlite::Database other(state / "catalog.db");
    other.exec("BEGIN IMMEDIATE");
    const auto r = drvaudit_run(state, {"catalog", "index", folder});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("another process is using the catalog") && Catch::Contains("database is locked"));
    other.exec("ROLLBACK");
  }
  CHECK(drvaudit_run(state, {"catalog", "index", folder}).exit_code == 0);
}

TEST_CASE("cli: a damaged catalog names its file and says how to rebuild it") {
  TempDir state;
  std::string garbage;
  for (int i = 0; i < 512; ++i) garbage += "this is not a database ";
  drvaudit::test::write_file(state / "catalog.db", garbage);
  for (const auto& args :
       {std::vector<std::string>{"catalog", "stats"},
        std::vector<std::string>{"catalog", "index", (drvaudit::test::corpus_dir() / "inf-open").string()}}) {
    const auto r = drvaudit_run(state, args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains((state / "catalog.db").string() + " is damaged") &&
                          Catch::Contains("build it again with `drvaudit catalog index") &&
                          !Catch::Contains("internal error"));
  }
  CHECK(drvaudit::test::read_file(state / "catalog.db") == garbage);  // a damaged catalog is left for the user
}

#ifndef _WIN32
TEST_CASE("cli: paths that are not UTF-8 or hold a newline: exact in JSON (with _hex), escaped in text") {
  TempDir state;
  TempDir root;
  const std::string weird = "caf\xFF\nname";  // byte 0xFF and a newline, as a Linux file name may have
  const auto folder = root.path() / weird;
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(
      drvaudit::test::corpus_dir() / "inf-open" / "virtio-win" / "pciserial" / "qemupciserial.inf",
      folder / "qemupciserial.inf");
  REQUIRE(drvaudit_run(state, {"catalog", "index", root.path().string()}).exit_code == 0);

  const auto hex = [](const std::string& bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : bytes) out += {kHex[b >> 4], kHex[b & 0xF]};
    return out;
  };
  const auto search = drvaudit_run(state, {"catalog", "search", "PCI\\VEN_1B36&DEV_0002", "--format", "json"});
  REQUIRE(search.exit_code == 0);
  const auto found = nlohmann::json::parse(search.out)["lines"];  // valid JSON, whatever the bytes
  REQUIRE_FALSE(found.empty());                                   // one line per Models section (x86, amd64)
  const std::string exact_path = (folder / "qemupciserial.inf").string();
  for (const auto& entry : found) {
    CHECK(entry["path_hex"] == hex(exact_path));
    CHECK_THAT(entry["path"].get<std::string>(), Catch::Contains("caf\xEF\xBF\xBD\nname"));  // U+FFFD
    CHECK_FALSE(entry.contains("inf_hex"));  // valid strings are left alone
  }

  const auto sources = drvaudit_run(state, {"catalog", "sources", "--format", "json"});
  REQUIRE(sources.exit_code == 0);
  CHECK(nlohmann::json::parse(sources.out)["sources"][0]["location"] == root.path().string());

  const auto text = drvaudit_run(state, {"catalog", "search", "PCI\\VEN_1B36&DEV_0002"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("caf\\xff\\nname/qemupciserial.inf:"));
  CHECK(text.out.find('\xFF') == std::string::npos);
  for (const auto line : drvaudit::text::split(text.out, '\n'))
    CHECK((line.empty() || line.starts_with("  ") || line.starts_with(root.path().string())));
}
#endif
