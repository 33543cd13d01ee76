#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

// The weekly audit's schedule and the command it runs, and the text each scheduler is given: a
// systemd service and timer, a cron.d line, a Task Scheduler task XML. Pure text, so every form is
// tested on any platform and compared with golden files.
namespace drvaudit::schedule {

struct WeeklyTime {
  int day = 0;  // 0 Sunday … 6 Saturday
  int hour = 3;
  int minute = 0;
  friend bool operator==(const WeeklyTime&, const WeeklyTime&) = default;
};

// "SUN"/"sunday"/"Sun" and "03:00"/"3:00"; throws UsageError saying what is accepted.
WeeklyTime parse_weekly(std::string_view day, std::string_view time);
std::string_view day_name(int day);             // "Sun"
std::string time_text(const WeeklyTime& when);  // "03:00"

// The next time the schedule fires after `now`, in local time, as "YYYY-MM-DD HH:MM".
std::string next_run_text(const WeeklyTime& when, std::chrono::system_clock::time_point now);

struct ScheduledCommand {
  std::filesystem::path program;
  std::vector<std::string> arguments;
};

// Refuses (UsageError, saying which) a program or argument with a control character: cron ends
// its line at a newline whatever the quoting, systemd at a newline or CR, and the Task XML would
// carry it into a command line. Every scheduler's text calls it; install calls it before planning.
void check_command(const ScheduledCommand& command);

inline constexpr std::string_view kUnitName = "drvaudit-audit";  // .service and .timer
inline constexpr std::string_view kTaskFolder = "\\drvaudit";
inline constexpr std::string_view kTaskName = "Weekly audit";

// systemd: OnCalendar with the weekday, Persistent=true (a machine that was off runs it at boot)
// and a randomized delay, so a fleet does not hit a share at the same second.
std::string on_calendar(const WeeklyTime& when);  // "Sun *-*-* 03:00:00"
std::string service_unit(const ScheduledCommand& command);
std::string timer_unit(const WeeklyTime& when);
// /etc/cron.d/drvaudit, for machines without a running systemd.
std::string cron_file(const WeeklyTime& when, const ScheduledCommand& command);

// Task Scheduler 1.2 XML: weekly trigger, SYSTEM with highest privileges, no battery limits, start
// when missed. `start` is the first run's local date ("2026-12-06").
std::string task_xml(const WeeklyTime& when, const ScheduledCommand& command, const std::string& start_date);
// The date of the next such weekday, local time, "YYYY-MM-DD".
std::string next_start_date(const WeeklyTime& when, std::chrono::system_clock::time_point now);

// Quoting for each consumer: systemd's Exec lines, /bin/sh (cron), Windows' CommandLineToArgvW.
// Each refuses a control character (UsageError) instead of quoting it.
std::string systemd_quote(std::string_view arg);
std::string shell_quote(std::string_view arg);
std::string windows_quote(std::string_view arg);

}  // namespace drvaudit::schedule
