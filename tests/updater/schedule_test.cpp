#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "common/text.hpp"
#include "tests/support/temp_dir.hpp"
#include "updater/journal.hpp"
#include "updater/runner.hpp"
#include "updater/schedule/file_step.hpp"
#include "updater/schedule/weekly_schedule.hpp"

// The weekly schedule's texts (systemd, cron, Task Scheduler XML against a golden file) and the
// journaled file step that writes them, checked on disk.
namespace {
namespace schedule = drvaudit::schedule;

schedule::ScheduledCommand sample_command() {
  return {std::filesystem::path("/usr/bin/drvaudit"),
          {"--state-dir", "/var/lib/drvaudit state", "schedule", "run", "--report-dir", "/srv/reports/100%",
           "--formats", "csv,json,html", "--keep", "104"}};
}
}  // namespace

TEST_CASE("schedule: --weekly DAY HH:MM in the forms people type, and clear refusals") {
  CHECK(schedule::parse_weekly("SUN", "03:00") == schedule::WeeklyTime{0, 3, 0});
  CHECK(schedule::parse_weekly("sunday", "3:00") == schedule::WeeklyTime{0, 3, 0});
  CHECK(schedule::parse_weekly("Sat", "23:59") == schedule::WeeklyTime{6, 23, 59});
  CHECK(schedule::parse_weekly("wed", "00:05") == schedule::WeeklyTime{3, 0, 5});
  CHECK_THROWS_AS(schedule::parse_weekly("Sun", "24:00"), drvaudit::UsageError);
  CHECK_THROWS_AS(schedule::parse_weekly("Sun", "3"), drvaudit::UsageError);
  CHECK_THROWS_AS(schedule::parse_weekly("Sun", "03:5"), drvaudit::UsageError);
  CHECK_THROWS_WITH(schedule::parse_weekly("Sonntag", "03:00"), Catch::Contains("SUN, MON"));
  CHECK(schedule::on_calendar({0, 3, 0}) == "Sun *-*-* 03:00:00");
  CHECK(schedule::on_calendar({5, 18, 30}) == "Fri *-*-* 18:30:00");
}

TEST_CASE("schedule: the next run is the coming such weekday and time, never in the past") {
  const auto now = std::chrono::system_clock::now();
  for (int day = 0; day < 7; ++day) {
    const schedule::WeeklyTime when{day, 3, 0};
    const auto next = schedule::next_run_text(when, now);
    REQUIRE(next.size() == 16);
    std::tm tm{};
    tm.tm_year = std::stoi(next.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(next.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(next.substr(8, 2));
    tm.tm_hour = std::stoi(next.substr(11, 2));
    tm.tm_min = std::stoi(next.substr(14, 2));
    tm.tm_isdst = -1;
    const auto at = std::chrono::system_clock::from_time_t(std::mktime(&tm));
    CHECK(tm.tm_wday == day);
    CHECK(at > now);
    CHECK(at - now <= std::chrono::hours(24 * 7 + 1));
    CHECK(next.substr(11) == "03:00");
    CHECK(schedule::next_start_date(when, now) == next.substr(0, 10));
  }
}

TEST_CASE("schedule: systemd units and the cron line quote every argument for their reader") {
  const auto service = schedule::service_unit(sample_command());
  CHECK_THAT(service, Catch::Contains("Type=oneshot\n"));
  CHECK_THAT(service, Catch::Contains("SuccessExitStatus=10\n"));
  CHECK_THAT(service,
             Catch::Contains("ExecStart=\"/usr/bin/drvaudit\" \"--state-dir\" \"/var/lib/drvaudit state\" \"schedule\" "
                             "\"run\" \"--report-dir\" \"/srv/reports/100%%\""));
  const auto timer = schedule::timer_unit({0, 3, 0});
  CHECK_THAT(timer, Catch::Contains("OnCalendar=Sun *-*-* 03:00:00\nPersistent=true\nRandomizedDelaySec=5min\n"));
  CHECK_THAT(timer, Catch::Contains("WantedBy=timers.target"));
  const auto cron = schedule::cron_file({0, 3, 0}, sample_command());
  CHECK_THAT(cron, Catch::Contains("\n0 3 * * 0 root '/usr/bin/drvaudit' '--state-dir' '/var/lib/drvaudit state' "
                                   "'schedule' 'run' '--report-dir' '/srv/reports/100\\%' "));
  CHECK(schedule::shell_quote("it's") == "'it'\\''s'");
  CHECK(schedule::systemd_quote("a\"b\\c$HOME") == "\"a\\\"b\\\\c$$HOME\"");
  CHECK(schedule::windows_quote("C:\\Program Files\\x\\") == "\"C:\\Program Files\\x\\\\\"");
  CHECK(schedule::windows_quote("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(schedule::windows_quote("plain") == "plain");
  CHECK(schedule::windows_quote("") == "\"\"");
}

TEST_CASE("schedule: the Task Scheduler XML is the golden file") {
  schedule::ScheduledCommand command{
      std::filesystem::path("C:\\Program Files\\drvaudit\\drvaudit.exe"),
      {"--state-dir", "C:\\ProgramData\\drvaudit", "schedule", "run", "--report-dir",
       "\\\\server\\share\\drvaudit\\<pc> & co", "--formats", "csv,json,html", "--keep", "104"}};
  const auto xml = schedule::task_xml({0, 3, 0}, command, "2026-12-06");
  const auto golden = drvaudit::test::read_file(std::filesystem::path(DRVAUDIT_TEST_SOURCE_DIR) / "tests" / "golden" /
                                                "weekly-task.xml");
  CHECK(xml == golden);
}

TEST_CASE("schedule: a write-file step writes, reads back, and its undo restores the old bytes or removes the file") {
  drvaudit::test::TempDir dir;
  const auto existing = dir / "etc" / "cron.d" / "drvaudit";
  const auto fresh = dir / "etc" / "systemd" / "system" / "drvaudit-audit.timer";
  drvaudit::test::write_file(dir / "placeholder", "");
  std::filesystem::create_directories(existing.parent_path());
  const std::string old_bytes = std::string("old \xff\x00 content", 14);
  drvaudit::test::write_file(existing, old_bytes);

  drvaudit::updater::Journal journal(dir / "journal.db");
  const std::vector<drvaudit::updater::PlannedStep> steps = {schedule::plan_write_file(existing, "new cron line\n"),
                                                             schedule::plan_write_file(fresh, "[Timer]\n")};
  CHECK_THAT(steps[0].description, Catch::StartsWith("replace "));
  CHECK_THAT(steps[1].description, Catch::StartsWith("write "));
  const auto id = journal.begin("schedule-install", "test", {}, steps);
  drvaudit::updater::Runner runner(journal, [](const std::string& kind, const nlohmann::json& params,
                                               const std::vector<drvaudit::updater::StepRecord>&) {
    REQUIRE(kind == schedule::kWriteFile);
    return schedule::make_write_file(params);
  });
  REQUIRE(runner.run(id).state == drvaudit::updater::OperationState::done);
  CHECK(drvaudit::test::read_file(existing) == "new cron line\n");
  CHECK(drvaudit::test::read_file(fresh) == "[Timer]\n");

  REQUIRE(runner.rollback(id).state == drvaudit::updater::OperationState::rolled_back);
  CHECK(drvaudit::test::read_file(existing) == old_bytes);
  CHECK_FALSE(std::filesystem::exists(fresh));

  SECTION("a removal step puts the file back on undo") {
    const auto remove_id =
        journal.begin("schedule-remove", "test", {}, {schedule::plan_write_file(existing, std::nullopt)});
    REQUIRE(runner.run(remove_id).state == drvaudit::updater::OperationState::done);
    CHECK_FALSE(std::filesystem::exists(existing));
    REQUIRE(runner.rollback(remove_id).state == drvaudit::updater::OperationState::rolled_back);
    CHECK(drvaudit::test::read_file(existing) == old_bytes);
  }
}

TEST_CASE("schedule: an argument with a control character is refused for every scheduler, never written") {
  for (const std::string& bad :
       std::vector<std::string>{"/x\n* * * * * root touch /tmp/P #", "/x\rExecStartPre=/bin/sh",
                                std::string("/x\0y", 4), "/x\ty", "/x\x1b[2J", "/x\xC2\x85y", "/x\xE2\x80\xA8y"}) {
    auto command = sample_command();
    command.arguments[5] = bad;
    CHECK_THROWS_AS(schedule::check_command(command), drvaudit::UsageError);
    CHECK_THROWS_WITH(schedule::cron_file({0, 3, 0}, command), Catch::Contains("control character"));
    CHECK_THROWS_WITH(schedule::service_unit(command), Catch::Contains("control character"));
    CHECK_THROWS_WITH(schedule::task_xml({0, 3, 0}, command, "2026-12-13"), Catch::Contains("control character"));
    command = sample_command();
    command.program = "/usr/bin/drv\naudit";
    CHECK_THROWS_AS(schedule::cron_file({0, 3, 0}, command), drvaudit::UsageError);
  }
}

TEST_CASE("schedule: the cron file holds one job line, as cron splits it, whatever the arguments") {
  auto command = sample_command();
  command.arguments[5] = "/srv/it's 100% # not a comment; $(touch /tmp/P) `x` * * *";
  const auto cron = schedule::cron_file({0, 3, 0}, command);
  // cron's rule: one entry per line; comments, blank lines and VAR=value lines are not jobs.
  std::size_t jobs = 0;
  for (const auto line : drvaudit::text::split(cron, '\n')) {
    const auto trimmed = drvaudit::text::trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const auto eq = trimmed.find('='), space = trimmed.find(' ');
    if (eq != std::string_view::npos && (space == std::string_view::npos || eq < space)) continue;
    ++jobs;
    CHECK(trimmed.starts_with("0 3 * * 0 root '/usr/bin/drvaudit'"));
  }
  CHECK(jobs == 1);
}
