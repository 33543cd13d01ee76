#include "updater/schedule/weekly_schedule.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::schedule {

namespace {
constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};

// The local calendar time of the next firing strictly after `now`.
std::tm next_firing(const WeeklyTime& when, std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const std::tm today = *std::localtime(&t);  // one thread: the CLI's
  std::tm candidate = today;
  candidate.tm_mday += (when.day - today.tm_wday + 7) % 7;
  candidate.tm_hour = when.hour;
  candidate.tm_min = when.minute;
  candidate.tm_sec = 0;
  candidate.tm_isdst = -1;  // whatever daylight saving says on that day
  if (std::tm probe = candidate; std::mktime(&probe) <= t) candidate.tm_mday += 7;  // today, but already past
  std::mktime(&candidate);                                                          // normalises the day of the month
  return candidate;
}

std::string program_text(const std::filesystem::path& p) {
  const auto u8 = p.u8string();
  return std::string(u8.begin(), u8.end());
}

// The first control character in UTF-8 text (C0, DEL, C1 as U+0080–U+009F, and the Unicode line
// and paragraph separators), or npos.
std::size_t control_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F)
      return i;
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))
      return i;
  }
  return std::string_view::npos;
}

void refuse_control(std::string_view what, std::string_view value) {
  if (control_at(value) == std::string_view::npos) return;
  throw UsageError("the weekly audit's " + std::string(what) + " '" + text::escape_control(value) +
                   "' holds a control character (a newline, CR, tab, NUL or another): no scheduler line may carry "
                   "one, so nothing was registered; choose a path without it");
}
}  // namespace

void check_command(const ScheduledCommand& command) {
  refuse_control("program", program_text(command.program));
  for (const auto& a : command.arguments) refuse_control("argument", a);
}

WeeklyTime parse_weekly(std::string_view day, std::string_view time) {
  WeeklyTime w;
  const std::string d = text::to_lower(text::trim(day));
  bool found = false;
  for (int i = 0; i < 7 && !found; ++i) {
    if (d == text::to_lower(kDays[static_cast<std::size_t>(i)]) || d == kLongDays[static_cast<std::size_t>(i)]) {
      w.day = i;
      found = true;
    }
  }
  if (!found)
    throw UsageError("--weekly: '" + std::string(day) + "' is not a day (give SUN, MON, TUE, WED, THU, FRI or SAT)");
  const auto parts = text::split(text::trim(time), ':');
  const auto hour =
      parts.size() == 2 && !parts[0].empty() && parts[0].size() <= 2 ? text::parse_decimal(parts[0], 23) : std::nullopt;
  const auto minute = parts.size() == 2 && parts[1].size() == 2 ? text::parse_decimal(parts[1], 59) : std::nullopt;
  if (!hour || !minute)
    throw UsageError("--weekly: '" + std::string(time) + "' is not a time of day (give HH:MM, 24-hour, e.g. 03:00)");
  w.hour = static_cast<int>(*hour);
  w.minute = static_cast<int>(*minute);
  return w;
}

std::string_view day_name(int day) { return kDays.at(static_cast<std::size_t>(day)); }

std::string time_text(const WeeklyTime& when) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", when.hour, when.minute);
  return buf;
}

std::string next_run_text(const WeeklyTime& when, std::chrono::system_clock::time_point now) {
  const std::tm tm = next_firing(when, now);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string next_start_date(const WeeklyTime& when, std::chrono::system_clock::time_point now) {
  const std::tm tm = next_firing(when, now);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string on_calendar(const WeeklyTime& when) {
  return std::string(day_name(when.day)) + " *-*-* " + time_text(when) + ":00";
}

std::string systemd_quote(std::string_view arg) {
  refuse_control("argument", arg);
  // systemd splits Exec lines on spaces, honours "…" with C escapes, and expands % specifiers and
  // $VARIABLES: each is escaped so an argument reaches drvaudit exactly as given.
  std::string out = "\"";
  for (char c : arg) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '%') {
      out += "%%";
    } else if (c == '$') {
      out += "$$";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string shell_quote(std::string_view arg) {
  refuse_control("argument", arg);
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '%') {
      out += "\\%";  // cron turns a bare % into a newline, even inside quotes
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string windows_quote(std::string_view arg) {
  refuse_control("argument", arg);
  if (!arg.empty() && arg.find_first_of(" \t\"") == std::string_view::npos) return std::string(arg);
  // CommandLineToArgvW: backslashes are literal unless they precede a quote.
  std::string out = "\"";
  std::size_t backslashes = 0;
  for (char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      out.append(backslashes * 2 + 1, '\\');
    } else {
      out.append(backslashes, '\\');
    }
    backslashes = 0;
    out += c;
  }
  out.append(backslashes * 2, '\\');
  return out + "\"";
}

std::string service_unit(const ScheduledCommand& command) {
  check_command(command);
  std::string exec = systemd_quote(program_text(command.program));
  for (const auto& a : command.arguments) exec += " " + systemd_quote(a);
  return "# Written by drvaudit schedule install; removed by drvaudit schedule remove.\n"
         "[Unit]\n"
         "Description=drvaudit weekly driver audit\n"
         "Documentation=man:drvaudit(1)\n"
         "After=network-online.target\n"
         "Wants=network-online.target\n"
         "\n"
         "[Service]\n"
         "Type=oneshot\n"
         // 10: updates available or a regression; the run still succeeded and wrote its reports.
         "SuccessExitStatus=10\n"
         "Nice=10\n"
         "IOSchedulingClass=idle\n"
         "ExecStart=" +
         exec + "\n";
}

std::string timer_unit(const WeeklyTime& when) {
  return "# Written by drvaudit schedule install; removed by drvaudit schedule remove.\n"
         "[Unit]\n"
         "Description=drvaudit weekly driver audit (" +
         std::string(day_name(when.day)) + " " + time_text(when) +
         ")\n"
         "\n"
         "[Timer]\n"
         "OnCalendar=" +
         on_calendar(when) +
         "\n"
         "Persistent=true\n"
         "RandomizedDelaySec=5min\n"
         "Unit=" +
         std::string(kUnitName) +
         ".service\n"
         "\n"
         "[Install]\n"
         "WantedBy=timers.target\n";
}

std::string cron_file(const WeeklyTime& when, const ScheduledCommand& command) {
  check_command(command);
  std::string line = shell_quote(program_text(command.program));
  for (const auto& a : command.arguments) line += " " + shell_quote(a);
  return "# Written by drvaudit schedule install; removed by drvaudit schedule remove.\n"
         "# The weekly driver audit: " +
         std::string(day_name(when.day)) + " " + time_text(when) +
         " local time.\n"
         "SHELL=/bin/sh\n"
         "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n" +
         std::to_string(when.minute) + " " + std::to_string(when.hour) + " * * " + std::to_string(when.day) + " root " +
         line + " >/dev/null 2>&1\n";
}

std::string task_xml(const WeeklyTime& when, const ScheduledCommand& command, const std::string& start_date) {
  check_command(command);
  std::string arguments;
  for (const auto& a : command.arguments) arguments += (arguments.empty() ? "" : " ") + windows_quote(a);
  static constexpr std::array<std::string_view, 7> kXmlDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                               "Thursday", "Friday", "Saturday"};
  return "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
         "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
         "  <RegistrationInfo>\n"
         "    <Author>drvaudit</Author>\n"
         "    <Description>drvaudit weekly driver audit: history, diff and reports</Description>\n"
         "    <URI>" +
         text::xml_escape(std::string(kTaskFolder) + "\\" + std::string(kTaskName)) +
         "</URI>\n"
         "  </RegistrationInfo>\n"
         "  <Triggers>\n"
         "    <CalendarTrigger>\n"
         "      <StartBoundary>" +
         start_date + "T" + time_text(when) +
         ":00</StartBoundary>\n"
         "      <Enabled>true</Enabled>\n"
         "      <RandomDelay>PT5M</RandomDelay>\n"
         "      <ScheduleByWeek>\n"
         "        <DaysOfWeek>\n"
         "          <" +
         std::string(kXmlDays[static_cast<std::size_t>(when.day)]) + " />\n" +
         "        </DaysOfWeek>\n"
         "        <WeeksInterval>1</WeeksInterval>\n"
         "      </ScheduleByWeek>\n"
         "    </CalendarTrigger>\n"
         "  </Triggers>\n"
         "  <Principals>\n"
         "    <Principal id=\"Author\">\n"
         "      <UserId>S-1-5-18</UserId>\n"
         "      <RunLevel>HighestAvailable</RunLevel>\n"
         "    </Principal>\n"
         "  </Principals>\n"
         "  <Settings>\n"
         "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
         "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n"
         "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
         "    <StartWhenAvailable>true</StartWhenAvailable>\n"
         "    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>\n"
         "    <Enabled>true</Enabled>\n"
         "  </Settings>\n"
         "  <Actions Context=\"Author\">\n"
         "    <Exec>\n"
         "      <Command>" +
         text::xml_escape(program_text(command.program)) +
         "</Command>\n"
         "      <Arguments>" +
         text::xml_escape(arguments) +
         "</Arguments>\n"
         "    </Exec>\n"
         "  </Actions>\n"
         "</Task>\n";
}

}  // namespace drvaudit::schedule
