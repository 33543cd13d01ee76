#include <catch2/catch.hpp>

#include <sstream>

#include "ui-cli/progress.hpp"
#include "ui-cli/render/audit_render.hpp"
#include "ui-cli/render/display_width.hpp"
#include "ui-cli/render/table.hpp"

namespace table = drvaudit::table;
namespace display = drvaudit::display;

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  for (const auto& line : lines_of(text)) widest = std::max(widest, display::width(line));
  return widest;
}

// Every word of a sentence, in order (a wrapped cell puts other columns between its lines).
bool words_in_order(const std::string& text, const std::vector<std::string>& words) {
  std::size_t at = 0;
  for (const auto& w : words) {
    at = text.find(w, at);
    if (at == std::string::npos) return false;
    at += w.size();
  }
  return true;
}

const std::string kJapanese =
    "\xE3\x82\xA4\xE3\x83\xB3\xE3\x83\x86\xE3\x83\xAB\xE3\x83\x8F\xE3\x82\xA4\xE3\x83\x87"
    "\xE3\x83\x95\xE3\x82\xA3\xE3\x83\x8B\xE3\x82\xB7\xE3\x83\xA7\xE3\x83\xB3 "
    "\xE3\x82\xAA\xE3\x83\xBC\xE3\x83\x87\xE3\x82\xA3\xE3\x82\xAA";  // インテルハイディフィニション オーディオ
const std::string kEmoji =
    "USB Headset \xF0\x9F\x8E\xA7 Pro \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB";  // 🎧 👨‍💻
const std::string kCombining = "Cafe\xCC\x81 Webcam";                                 // e + combining acute

// An audit of three devices whose versions must survive every width.
drvaudit::audit::MachineAudit sample_audit() {
  drvaudit::audit::MachineAudit report;
  report.machine.hostname = "pc-042";
  report.platform = drvaudit::audit::Platform::windows;
  report.coverage.checked = true;
  auto add = [&](std::string description, std::string cls, drvaudit::audit::Verdict verdict, std::string inf,
                 std::string version, std::uint32_t problem = 0) {
    drvaudit::audit::DeviceAudit a;
    a.device.description = std::move(description);
    a.device.class_name = std::move(cls);
    a.device.problem_code = problem;
    a.verdict = verdict;
    a.installed.present = !inf.empty();
    a.installed.driver.inf = std::move(inf);
    a.installed.driver.version = std::move(version);
    if (problem) a.attention = "problem";
    report.devices.push_back(std::move(a));
  };
  add("Intel(R) UHD Graphics 770 with a long marketing name", "Display", drvaudit::audit::Verdict::update_available,
      "iigd_dch.inf", "31.0.101.4502");
  add(kJapanese, "MEDIA", drvaudit::audit::Verdict::up_to_date, "intcaudiobus.inf", "10.29.0.9677");
  add(kEmoji, "AudioEndpoint", drvaudit::audit::Verdict::no_catalog_data, "", "", 28);
  return report;
}
}  // namespace

TEST_CASE("display width counts terminal columns: wide CJK and emoji take two, combining marks none") {
  CHECK(display::width("abc") == 3);
  CHECK(display::width("\xC3\xA9\xC3\xA9") == 2);
  CHECK(display::width(kCombining) == 11);
  CHECK(display::width("\xE6\x97\xA5\xE6\x9C\xAC") == 4);  // 日本
  CHECK(display::width("\xF0\x9F\x8E\xA7") == 2);          // 🎧
  CHECK(display::width("\xFF") == 1);                      // an invalid byte shows as one replacement
}

TEST_CASE("cutting keeps whole characters and clusters and ends in an ellipsis") {
  CHECK(display::cut("abcdef", 4) == "abc\xE2\x80\xA6");
  CHECK(display::fit("ab", 4) == "ab  ");
  // 日本語 in 5 columns: two wide characters (4) and the ellipsis (1).
  CHECK(display::cut("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 5) == "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
  // 日本語 in 4 columns: one wide character, no room for half of the next; padded to 4.
  CHECK(display::fit("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4) == "\xE6\x97\xA5\xE2\x80\xA6 ");
  // The combining accent stays with its e.
  CHECK(display::cut(kCombining, 5) == "Cafe\xCC\x81\xE2\x80\xA6");
  // A ZWJ sequence is never split: cut before it.
  const auto cut_emoji = display::cut(kEmoji, display::width(kEmoji) - 1);
  CHECK(cut_emoji.find("\xF0\x9F\x91\xA8") == std::string::npos);
  CHECK(display::width(cut_emoji) <= display::width(kEmoji) - 1);
}

TEST_CASE("audit tables at 40, 60, 80, 120 columns and unlimited: versions, dates and verdicts are never cut") {
  const auto report = sample_audit();
  const std::vector<drvaudit::audit::MachineAudit> reports{report};
  for (const std::optional<int> width : {std::optional<int>(40), std::optional<int>(60), std::optional<int>(80),
                                         std::optional<int>(120), std::optional<int>()}) {
    INFO("width " << (width ? std::to_string(*width) : "unlimited"));
    const auto out = drvaudit::render::audit_table(reports, {width, false});
    // The table part (before the summary) fits; the summary lines are sentences.
    const auto table_text = out.substr(0, out.find("\n\n") + 1);
    if (width) CHECK(widest_line(table_text) <= static_cast<std::size_t>(*width));
    for (const char* whole : {"31.0.101.4502", "10.29.0.9677", "update available", "up to date"}) {
      CHECK_THAT(out, Catch::Contains(whole));
    }
    // A sentence may wrap inside its cell, never lose a word.
    CHECK(words_in_order(out, {"Code", "28:", "drivers", "not", "installed"}));
    CHECK_THAT(out, !Catch::Contains("Code 28: drivers\xE2\x80\xA6"));
    const bool unlimited = !width;
    const bool wide = width && *width >= 120;
    if (unlimited) {
      CHECK_THAT(out, Catch::Contains("Intel(R) UHD Graphics 770 with a long marketing name"));
      CHECK_THAT(out, Catch::Contains(kJapanese));
      CHECK_THAT(out, Catch::Contains(kEmoji));
    }
    if (unlimited || wide) CHECK_THAT(out, Catch::Contains("CLASS"));
  }
  // At 60 columns it is still a table (one line per device, the problem's words on two), with
  // CLASS dropped first.
  const auto sixty = drvaudit::render::audit_table(reports, {60, false});
  CHECK(lines_of(sixty.substr(0, sixty.find("\n\n"))).size() == 5);
  CHECK_THAT(sixty, !Catch::Contains("CLASS"));
  CHECK_THAT(sixty, Catch::Contains("DEVICE"));
  // CLASS goes before the INF names do, and the description keeps 20 columns while anything can
  // still be dropped.
  const auto wide = drvaudit::render::audit_table(reports, {std::nullopt, false});
  const auto full_width = display::width(lines_of(wide).front());
  // One column narrower than the description at 20 and the INF names at 8 allow.
  const int short_by = (52 - 20) + (16 - 8) + 1;
  const auto one_short = drvaudit::render::audit_table(reports, {static_cast<int>(full_width) - short_by, false});
  CHECK_THAT(one_short, !Catch::Contains("CLASS") && Catch::Contains("BEST INF") && Catch::Contains("DRIVER"));
  CHECK_THAT(one_short, Catch::Contains("Intel(R) UHD Graphi"));
}

TEST_CASE("a table that cannot fit becomes blocks: each value whole on its own line") {
  const std::vector<table::Column> columns = {
      {"DEVICE", table::Fit::shrink, 10}, {"VERSION", table::Fit::whole}, {"DATE", table::Fit::whole}};
  const std::vector<std::vector<table::Cell>> rows = {
      {kJapanese, "31.0.101.4502", "2023-06-01"},
  };
  const auto out = table::render(columns, rows, {20, false});
  CHECK(out ==
        "\xE3\x82\xA4\xE3\x83\xB3\xE3\x83\x86\xE3\x83\xAB\xE3\x83\x8F\xE3\x82\xA4\xE3\x83\x87"
        "\xE3\x83\x95\xE3\x82\xA3\xE2\x80\xA6\n"
        "  VERSION: 31.0.101.4502\n"
        "  DATE: 2023-06-01\n");
}

TEST_CASE("without a width limit nothing is cut and nothing is padded at the end of a line") {
  const std::vector<table::Column> columns = {{"A", table::Fit::shrink, 4}, {"B", table::Fit::shrink, 4}};
  const std::vector<std::vector<table::Cell>> rows = {{std::string(300, 'a'), "b"}, {"x", ""}};
  const auto out = table::render(columns, rows, {std::nullopt, false});
  CHECK_THAT(out, Catch::Contains(std::string(300, 'a') + "  b\n"));
  CHECK_THAT(out, Catch::Contains("\nx\n"));
}

TEST_CASE("colours wrap the cell text only, so columns still line up") {
  const std::vector<table::Column> columns = {{"VERDICT", table::Fit::whole}, {"X", table::Fit::whole}};
  const std::vector<std::vector<table::Cell>> rows = {{{"up to date", table::Color::green}, "1"},
                                                      {{"missing driver", table::Color::red}, "2"}};
  const auto plain = table::render(columns, rows, {80, false});
  const auto coloured = table::render(columns, rows, {80, true});
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK_THAT(coloured, Catch::Contains("\x1b[32mup to date\x1b[0m      1"));
  CHECK_THAT(coloured, Catch::Contains("\x1b[31mmissing driver\x1b[0m  2"));
}

TEST_CASE("verdict words: Device Manager's text for a problem nothing fixes") {
  const auto report = sample_audit();
  CHECK(drvaudit::render::verdict_cell(report.devices[0]).text == "update available");
  CHECK(drvaudit::render::verdict_cell(report.devices[0]).color == table::Color::yellow);
  CHECK(drvaudit::render::verdict_cell(report.devices[1]).color == table::Color::green);
  CHECK(drvaudit::render::verdict_cell(report.devices[2]).text == "Code 28: drivers not installed");
  CHECK(drvaudit::render::verdict_cell(report.devices[2]).color == table::Color::red);
}

TEST_CASE("the progress line fits every width with percent, count, rate and ETA as room allows") {
  const std::string label = "indexing DriverStore";
  for (int width : {20, 40, 60, 80, 120, 200}) {
    INFO(width);
    const auto line = drvaudit::ProgressBar::line(label, "files", 421, 2000, 350, width);
    CHECK(display::width(line) < static_cast<std::size_t>(width));  // the last column stays free
    CHECK_THAT(line, Catch::Contains("21%"));
    if (width >= 60) CHECK_THAT(line, Catch::Contains("[") && Catch::Contains("421/2000 350 files/s ETA 0:05"));
  }
  CHECK_THAT(drvaudit::ProgressBar::line(label, "files", 0, 0, 0, 80), Catch::Contains("listing files"));
  // A wide (CJK) folder name is cut by columns, never split.
  const auto cjk = drvaudit::ProgressBar::line(
      "indexing \xE3\x83\x89\xE3\x83\xA9\xE3\x82\xA4\xE3\x83\x90"
      "\xE3\x83\xBC\xE3\x83\x95\xE3\x82\xA9\xE3\x83\xAB\xE3\x83\x80",
      "files", 5, 10, 1, 30);
  CHECK(display::width(cjk) < 30);
}
