#include <catch2/catch.hpp>

#include <cstring>

#include <nlohmann/json.hpp>

#include "common/process.hpp"
#include "tests/support/temp_dir.hpp"

using drvaudit::test::TempDir;

namespace {
// What a hostile USB device or INF could put in a name: an escape sequence that rewrites the
// terminal's title and colours, a C1 CSI, CR/LF that would forge rows, BEL, DEL and a right-to-left
// override that would reverse the rest of the line.
const std::string kHostile =
    "Evil\x1b]0;pwned\x07\x1b[31mRED\xC2\x9B"
    "2J\r\nforged row\x7f\xE2\x80\xAEtxt.exe";

std::string hostile_snapshot() {
  nlohmann::json device = {{"instance_id", "USB\\VID_DEAD&PID_BEEF\\" + kHostile},
                           {"parent_id", ""},
                           {"bus", "USB"},
                           {"class", "USB" + kHostile},
                           {"class_guid", ""},
                           {"description", kHostile},
                           {"manufacturer", kHostile},
                           {"location", kHostile},
                           {"hardware_ids", {"USB\\VID_DEAD&PID_BEEF&REV_0001", "USB\\VID_DEAD&PID_BEEF" + kHostile}},
                           {"compatible_ids", {"USB\\Class_FF" + kHostile}},
                           {"problem_code", 0},
                           {"present", true},
                           {"firmware_version", kHostile},
                           {"driver",
                            {{"provider", kHostile},
                             {"version", "1.0.0.0"},
                             {"date", "2022-05-21"},
                             {"inf", "oem9.inf" + kHostile},
                             {"section", kHostile},
                             {"matching_id", "USB\\VID_DEAD&PID_BEEF"},
                             {"rank", nullptr},
                             {"signer", kHostile},
                             {"service", kHostile},
                             {"module", ""}}}};
  nlohmann::json doc = {{"schema", "drvaudit-snapshot/1"},
                        {"machine",
                         {{"hostname", kHostile},
                          {"os", "windows"},
                          {"os_version", "10.0.22631"},
                          {"arch", "amd64"},
                          {"source", kHostile}}},
                        {"devices", {device}}};
  return doc.dump();
}

bool next_is_newline(const std::string& out, std::size_t i) {
#ifdef _WIN32
  return i + 1 < out.size() && out[i + 1] == '\n';
#else
  (void)out;
  (void)i;
  return false;
#endif
}

// No byte a terminal would act on: C0 controls except the output's own newlines, DEL, C1 controls
// (U+0080-U+009F) and the bidirectional overrides/isolates.
void check_terminal_safe(const std::string& out, const std::string& what) {
  INFO(what << ":\n" << out);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    // The output's own line ends: "\n", or "\r\n" where the Windows console/C runtime writes them.
    const bool line_end = c == '\n' || (c == '\r' && next_is_newline(out, i));
    const bool control = c < 0x20 && !line_end;
    CHECK_FALSE(control);
    CHECK(c != 0x7F);
    const auto next = [&](std::size_t k) { return i + k < out.size() ? static_cast<unsigned char>(out[i + k]) : 0; };
    const bool c1 = c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F;
    const bool bidi = c == 0xE2 && next(1) == 0x80 && next(2) >= 0xAA && next(2) <= 0xAE;
    CHECK_FALSE(c1);
    CHECK_FALSE(bidi);
  }
  const bool forged = out.find("\nforged row") != std::string::npos;  // a row of its own
  CHECK_FALSE(forged);
}

drvaudit::process::Result run(const TempDir& state, std::vector<std::string> args) {
  args.insert(args.begin(), {drvaudit::test::drvaudit_binary().string(), "--state-dir", state.path().string()});
  return drvaudit::process::run(args);
}
}  // namespace

TEST_CASE("terminal safety: a hostile device name reaches no text renderer raw, and JSON and CSV keep it exact") {
  TempDir state;
  drvaudit::test::write_file(state / "hostile.json", hostile_snapshot());
  const std::string snapshot = (state / "hostile.json").string();

  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--snapshot", snapshot, "scan"},
                                             {"--snapshot", snapshot, "audit"},
                                             {"--snapshot", snapshot, "audit", "--explain", "Evil"},
                                             {"--snapshot", snapshot, "-v", "audit", "--category", "USB" + kHostile},
                                             // every table layout: cut cells, blocks, several machines
                                             {"--snapshot", snapshot, "scan", "--width", "60"},
                                             {"--snapshot", snapshot, "audit", "--width", "20"},
                                             {"--snapshot", snapshot, snapshot, "audit", "--wide"},
                                             {"--snapshot", snapshot, snapshot, "scan", "--width", "40"}}) {
    const auto r = run(state, args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    check_terminal_safe(r.out, joined + "(stdout)");
    check_terminal_safe(r.err, joined + "(stderr)");
    CHECK(r.exit_code != -1);
  }
  // Colours: drvaudit's own SGR codes are the only escapes left.
  auto coloured = run(state, {"--snapshot", snapshot, "audit", "--width", "60", "--color", "always"}).out;
  for (const char* own : {"\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[0m"}) {
    for (auto at = coloured.find(own); at != std::string::npos; at = coloured.find(own))
      coloured.erase(at, std::strlen(own));
  }
  check_terminal_safe(coloured, "audit --color always, without its own colour codes");

  const auto table = run(state, {"--snapshot", snapshot, "scan"});
  CHECK_THAT(table.out, Catch::Contains("Evil\\x1b]0;pwned\\x07"));

  // Machine-readable outputs keep the exact bytes.
  const auto json = run(state, {"--snapshot", snapshot, "audit", "--format", "json"});
  REQUIRE(json.exit_code != -1);
  CHECK(nlohmann::json::parse(json.out)["devices"][0]["description"] == kHostile);
  const auto scan_json = run(state, {"--snapshot", snapshot, "scan", "--format", "json"});
  CHECK(nlohmann::json::parse(scan_json.out)["devices"][0]["description"] == kHostile);
  const auto csv = run(state, {"--snapshot", snapshot, "scan", "--format", "csv"});
  CHECK(csv.out.find(kHostile) != std::string::npos);
}
