// The command line as people use it: typos, help, aliases, one output convention, refused
// combinations, several snapshots at once, and exit codes a monitoring script can trust.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "common/process.hpp"
#include "scanner/device.hpp"
#include "tests/support/temp_dir.hpp"

using drvaudit::test::TempDir;

namespace {
drvaudit::process::Result drvaudit_run(const TempDir& state, std::vector<std::string> args) {
  args.insert(args.begin(), {drvaudit::test::drvaudit_binary().string(), "--state-dir", state.path().string()});
  return drvaudit::process::run(args);
}
const std::string kLaptop = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/samples/windows-laptop.snapshot.json";
const std::string kHostile = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/tests/fixtures/hostile.snapshot.json";
const std::string kSampleCatalog = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/catalog";
}  // namespace

TEST_CASE("cli habits: a mistyped command or option suggests the nearest one and exits 2") {
  TempDir state;
  const struct {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{"audti"}, "unknown command 'audti'; did you mean audit?"},
      {{"sacn"}, "did you mean scan?"},
      {{"audit", "--formt", "json"}, "unknown option --formt for audit; did you mean --format?"},
      {{"scan", "--jsn"}, "did you mean --json?"},
      {{"catalog", "idex", "."}, "unknown catalog command 'idex'; did you mean index?"},
      {{"catalog", "search", "X", "--fromat=json"}, "did you mean --format?"},
      {{"--snapshto", "x.json", "scan"}, "did you mean --snapshot?"},
      {{"help", "audti"}, "did you mean audit?"},
  };
  for (const auto& c : cases) {
    INFO(c.args.front());
    const auto r = drvaudit_run(state, c.args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.expected));
  }
  // Nothing near: no wild guess.
  const auto far = drvaudit_run(state, {"frobnicate"});
  CHECK(far.exit_code == 2);
  CHECK_THAT(far.err, Catch::Contains("unknown command 'frobnicate'") && !Catch::Contains("did you mean"));
}

TEST_CASE("cli habits: help, -? and /? show help with the program name, placeholders and the global options") {
  TempDir state;
  for (const auto& args : {std::vector<std::string>{"help"}, std::vector<std::string>{"-?"},
                           std::vector<std::string>{"/?"}, std::vector<std::string>{"--help"}}) {
    const auto r = drvaudit_run(state, args);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage: drvaudit [OPTIONS] SUBCOMMAND") && Catch::Contains("Exit codes"));
  }
  const std::vector<std::vector<std::string>> commands = {{"scan"},
                                                          {"export"},
                                                          {"audit"},
                                                          {"catalog"},
                                                          {"catalog", "index"},
                                                          {"catalog", "add-source"},
                                                          {"catalog", "sync"},
                                                          {"catalog", "export"},
                                                          {"catalog", "sources"},
                                                          {"catalog", "stats"},
                                                          {"catalog", "search"},
                                                          {"catalog", "list"},
                                                          {"catalog", "problems"},
                                                          {"update"},
                                                          {"rollback"},
                                                          {"journal"},
                                                          {"journal", "list"},
                                                          {"journal", "show"}};
  for (const auto& command : commands) {
    std::string name;
    for (const auto& w : command) name += (name.empty() ? "" : " ") + w;
    INFO(name);
    auto words = command;
    words.insert(words.begin(), "help");
    const auto help = drvaudit_run(state, words);
    REQUIRE(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Usage: drvaudit " + name));
    CHECK_THAT(help.out, Catch::Contains("Global options") && Catch::Contains("--snapshot FILE|DIR") &&
                             Catch::Contains("--state-dir DIR"));
    CHECK_THAT(help.out, !Catch::Contains(" TEXT") && !Catch::Contains(drvaudit::test::drvaudit_binary().string()));
    auto asked = command;
    asked.push_back("-?");
    CHECK(drvaudit_run(state, asked).out == help.out);
  }
}

TEST_CASE("cli habits: --format in any case, --json, --arch x64 and -o - are the same as their long forms") {
  TempDir state;
  REQUIRE(drvaudit_run(state, {"catalog", "index", kSampleCatalog}).exit_code == 0);
  const auto json = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--format", "json"});
  REQUIRE(json.exit_code == 10);
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--format", "JSON"}).out == json.out);
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json"}).out == json.out);
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json", "-o", "-"}).out == json.out);
  const auto x64 = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json", "--arch", "x64"});
  const auto x86_64 = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json", "--arch", "x86_64"});
  const auto amd64 = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json", "--arch", "amd64"});
  CHECK(x64.out == amd64.out);
  CHECK(x86_64.out == amd64.out);
  CHECK(nlohmann::json::parse(amd64.out)["target"]["arch"] == "amd64");
  CHECK(drvaudit_run(state, {"catalog", "stats", "--format", "Json"}).out ==
        drvaudit_run(state, {"catalog", "stats", "--json"}).out);
  // --json and another --format disagree.
  const auto both = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json", "--format", "csv"});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Catch::Contains("two formats"));
}

TEST_CASE("cli habits: -o FILE on every command that writes a report, the old spellings kept") {
  TempDir state;
  REQUIRE(drvaudit_run(state, {"catalog", "index", kSampleCatalog}).exit_code == 0);
  const auto file = (state.path() / "out.txt").string();
  const std::vector<std::vector<std::string>> reports = {{"--snapshot", kLaptop, "scan", "--json"},
                                                         {"--snapshot", kLaptop, "audit", "--format", "csv"},
                                                         {"catalog", "sources", "--json"},
                                                         {"catalog", "stats"},
                                                         {"catalog", "search", "PCI\\VEN_8086&DEV_9A49"},
                                                         {"catalog", "list", "--format", "csv"},
                                                         {"catalog", "problems", "--json"}};
  for (const auto& args : reports) {
    INFO(args[args.size() > 2 ? 2 : 0]);
    const auto to_stdout = drvaudit_run(state, args);
    auto with_file = args;
    with_file.insert(with_file.end(), {"-o", file});
    const auto r = drvaudit_run(state, with_file);
    CHECK(r.exit_code == to_stdout.exit_code);
    CHECK(r.out.empty());
    CHECK(drvaudit::test::read_file(file) == to_stdout.out);
  }
  // export: -o FILE --format csv|json, or the older --csv FILE / --json FILE.
  const auto csv_new = (state.path() / "new.csv").string(), csv_old = (state.path() / "old.csv").string();
  REQUIRE(drvaudit_run(state, {"--snapshot", kLaptop, "export", "-o", csv_new}).exit_code == 0);
  REQUIRE(drvaudit_run(state, {"--snapshot", kLaptop, "export", "--csv", csv_old}).exit_code == 0);
  CHECK(drvaudit::test::read_file(csv_new) == drvaudit::test::read_file(csv_old));
  const auto json_out = drvaudit_run(state, {"--snapshot", kLaptop, "export", "-o", "-", "--format", "json"});
  CHECK(json_out.out == drvaudit_run(state, {"--snapshot", kLaptop, "scan", "--json"}).out);
}

TEST_CASE("cli habits: options that would be ignored are refused or warned about, never silent") {
  TempDir state;
  const struct {
    std::vector<std::string> args;
    std::string expected;
  } refused[] = {
      {{"--snapshot", kLaptop, "audit", "--excel"}, "--excel applies to CSV"},
      {{"--snapshot", kLaptop, "audit", "--format", "csv", "--explain", "Iris"}, "--explain prints an explanation"},
      {{"--snapshot", kLaptop, "--sysfs-root", ".", "scan"}, "--snapshot and --sysfs-root name two device sources"},
      {{"--snapshot", kLaptop, "audit", "--category", "Dispaly"},
       "--category 'Dispaly': no device has that class (classes here: Display, MEDIA, Net, SCSIAdapter, System, "
       "Unknown)"},
      {{"--snapshot", kLaptop, "export", "--excel", "--json", "x.json"}, "--excel applies to CSV"},
  };
  for (const auto& c : refused) {
    INFO(c.expected);
    const auto r = drvaudit_run(state, c.args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.expected));
    CHECK(r.out.empty());
  }
  // One known and one unknown class: the audit runs, with a warning for the unknown one.
  const auto partly = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--category", "Net", "--category", "Nte"});
  CHECK(partly.exit_code != 2);
  CHECK_THAT(partly.err, Catch::Contains("--category 'Nte': no device has that class"));
  const auto absent = drvaudit_run(state, {"--snapshot", kLaptop, "--all-devices", "scan"});
  CHECK(absent.exit_code == 0);
  CHECK_THAT(absent.err, Catch::Contains("--all-devices is ignored with --snapshot"));
}

TEST_CASE("cli habits: several snapshots make one table, CSV and JSON with a machine column") {
  TempDir state;
  REQUIRE(drvaudit_run(state, {"catalog", "index", kSampleCatalog}).exit_code == 0);
  // A folder stands for every *.json inside it, in name order.
  TempDir fleet;
  std::filesystem::copy_file(kLaptop, fleet.path() / "a-laptop.json");
  std::filesystem::copy_file(kHostile, fleet.path() / "b-hostile.json");
  drvaudit::test::write_file(fleet.path() / "notes.txt", "not a snapshot");

  const auto csv = drvaudit_run(state, {"--snapshot", fleet.path().string(), "audit", "--format", "csv"});
  REQUIRE(csv.exit_code == 10);
  CHECK_THAT(csv.out, Catch::StartsWith("machine,captured_at,tool_version,"));
  CHECK_THAT(csv.out, Catch::Contains("\r\nTHINKPAD-T14,2026-11-01T08:00:00Z,") &&
                          Catch::Contains("\r\nhostile-test,2026-11-01T08:00:00Z,"));
  // The same as naming the files one by one.
  CHECK(drvaudit_run(state, {"--snapshot", (fleet.path() / "a-laptop.json").string(),
                             (fleet.path() / "b-hostile.json").string(), "audit", "--format", "csv"})
            .out == csv.out);

  const auto json = drvaudit_run(state, {"--snapshot", fleet.path().string(), "audit", "--json"});
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["schema"] == "drvaudit-audits/1");
  REQUIRE(doc["audits"].size() == 2);
  CHECK(doc["audits"][0]["machine"]["hostname"] == "THINKPAD-T14");
  CHECK(doc["audits"][1]["devices"][0]["machine"] == "hostile-test");

  const auto table = drvaudit_run(state, {"--snapshot", fleet.path().string(), "audit", "--width", "120"});
  CHECK_THAT(table.out,
             Catch::StartsWith("MACHINE") && Catch::Contains("THINKPAD-T14: ") && Catch::Contains("hostile-test: "));

  const auto scan = drvaudit_run(state, {"--snapshot", fleet.path().string(), "scan", "--json"});
  const auto inventories = nlohmann::json::parse(scan.out);
  CHECK(inventories["schema"] == "drvaudit-inventories/1");
  CHECK(inventories["machines"][1]["machine"]["hostname"] == "hostile-test");

  TempDir empty;
  const auto none = drvaudit_run(state, {"--snapshot", empty.path().string(), "scan"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("holds no *.json snapshot"));
}

TEST_CASE("cli habits: exit codes: nothing checked is never clean, problem devices need attention") {
  TempDir state;
  // An empty catalog: a warning on screen and in JSON; --strict makes it exit 1.
  const auto empty = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--json"});
  CHECK(empty.exit_code == 11);  // two Code 28 devices and nothing to fix them
  const auto doc = nlohmann::json::parse(empty.out);
  CHECK(doc["coverage"]["checked"] == false);
  CHECK_THAT(doc["coverage"]["problem"].get<std::string>(), Catch::Contains("the catalog is empty"));
  CHECK(doc["needs_attention"] == 2);
  CHECK_THAT(empty.err, Catch::Contains("nothing could be checked"));
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--strict"}).exit_code == 1);

  REQUIRE(drvaudit_run(state, {"catalog", "index", kSampleCatalog}).exit_code == 0);
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit"}).exit_code == 10);
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--strict"}).exit_code == 10);
  // A catalog with nothing for the machine's Windows: the same as an empty one.
  const auto arm = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--arch", "arm64", "--json"});
  CHECK(nlohmann::json::parse(arm.out)["coverage"]["checked"] == false);
  CHECK_THAT(arm.err,
             Catch::Contains("none of the catalog's") && Catch::Contains("applies to Windows 10.0.22631 arm64"));
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--arch", "arm64", "--strict"}).exit_code == 1);

  // --explain: only the explained devices decide.
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--explain", "Iris"}).exit_code == 10);
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--explain", "Realtek"}).exit_code == 0);
  const auto unknown = drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--explain", "ACPI\\INT3472\\1"});
  CHECK(unknown.exit_code == 11);
  CHECK_THAT(unknown.out, Catch::Contains("The drivers for this device are not installed."));
  // The Code 28 device the catalog can fix is an update, not attention.
  CHECK(drvaudit_run(state, {"--snapshot", kLaptop, "audit", "--explain", "06CB"}).exit_code == 10);
}

TEST_CASE("cli habits: a built-in Linux driver reads 'built into kernel MAJOR.MINOR'") {
  drvaudit::InstalledDriver builtin;
  builtin.provider = "Linux kernel";
  builtin.service = "virtio_net";
  builtin.version = "6.1.0-18-amd64";
  CHECK(drvaudit::version_text(builtin) == "built into kernel 6.1");
  builtin.version = "6.18.0";
  CHECK(drvaudit::version_text(builtin) == "built into kernel 6.18");
  auto module = builtin;
  module.module = "virtio_net";
  module.version = "1.0.0";
  CHECK(drvaudit::version_text(module) == "1.0.0");
  drvaudit::InstalledDriver windows;
  windows.inf = "oem3.inf";
  windows.version = "31.0.101.4502";
  CHECK(drvaudit::version_text(windows) == "31.0.101.4502");
}

#ifndef _WIN32
TEST_CASE("cli habits: a Linux audit speaks of Linux, and of kernel modules only when modules.alias was read") {
  TempDir state;
  const std::string tree = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/tests/corpora/sysfs/fwupd-src-tests-sys/sys";
  const auto plain = drvaudit_run(state, {"--sysfs-root", tree, "audit", "--wide"});
  REQUIRE(plain.exit_code == 0);
  CHECK_THAT(plain.out, !Catch::Contains("Windows 10.0") && !Catch::Contains("catalog evaluated for Windows"));
  CHECK_THAT(plain.out, Catch::Contains("Linux kernel drivers; no modules.alias was read"));
  CHECK_THAT(plain.out, !Catch::Contains("no kernel module matches"));
  const auto json = nlohmann::json::parse(drvaudit_run(state, {"--sysfs-root", tree, "audit", "--json"}).out);
  CHECK(json["platform"] == "linux");
  for (const auto& d : json["devices"]) {
    if (d["installed"].is_null()) CHECK_THAT(d["reason"].get<std::string>(), Catch::Contains("were not checked"));
  }

  // With a modules.alias (one alias that matches nothing here), unbound devices are checked against it.
  const auto alias = state.path() / "modules.alias";
  drvaudit::test::write_file(alias, "alias pci:v0000FFFFd0000FFFFsv*sd*bc*sc*i* nothing_here\n");
  const auto with_alias =
      drvaudit_run(state, {"--sysfs-root", tree, "audit", "--wide", "--modules-alias", alias.string()});
  CHECK_THAT(with_alias.out, Catch::Contains("kernel modules from " + alias.string()));
}
#endif
