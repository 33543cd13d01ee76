#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "catalog/history/history_store.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/process.hpp"
#include "common/text.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/commands/system_change.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/json_output.hpp"
#include "ui-cli/weekly_run.hpp"
#include "updater/journal.hpp"
#include "updater/runner.hpp"
#include "updater/schedule/scheduler.hpp"

// schedule install | remove | status | run: the weekly audit. install and remove change the
// system's scheduler as journaled steps (undone when one fails); run is what the scheduler starts.
namespace drvaudit::commands {

namespace {
struct RunOptions {
  ReportOptions report;
  std::optional<std::filesystem::path> report_dir;
  std::vector<std::string> formats = weekly::kReportFormats;
  int keep = history::kDefaultKeep;
};

struct InstallOptions {
  std::vector<std::string> weekly;  // DAY HH:MM
  RunOptions run;
  schedule::SchedulerOptions scheduler;
  bool dry_run = false;
  bool yes = false;
  ReportOptions report;  // status
};

std::filesystem::path report_dir_of(const AppContext& context, const RunOptions& o) {
  return std::filesystem::absolute(o.report_dir ? *o.report_dir : context.state_dir() / "reports");
}

void check_run_options(const RunOptions& o) {
  if (o.keep < 1) throw UsageError("--keep must keep at least 1 run");
  for (const auto& f : o.formats) {
    if (std::find(weekly::kReportFormats.begin(), weekly::kReportFormats.end(), f) == weekly::kReportFormats.end())
      throw UsageError("--formats: '" + f + "' is not a report format (give csv, json, html, comma-separated)");
  }
}

// ---- schedule run -------------------------------------------------------------------------------

ExitCode weekly_run(const GlobalOptions& globals, const RunOptions& o, const AppContext& context) {
  const auto inventories = context.inventories();
  if (inventories.size() != 1)
    throw UsageError("schedule run audits one machine: give one --snapshot (or none for this machine)");
  audit::MachineAuditOptions request;
  request.catalog_file = context.catalog_file();
  request.live_machine = !globals.replays();
  const auto audit = audit::run_machine_audit(inventories.front(), request);
  for (const auto& w : audit.warnings) spdlog::warn("{}", w);
  const auto stored = weekly::store_audit(context, audit, "schedule", o.keep);
  const auto files = weekly::write_reports({report_dir_of(context, o), o.formats}, inventories.front(), audit, stored);

  std::size_t actionable = 0;
  for (const auto& a : audit.devices) actionable += audit::is_actionable(a.verdict) ? 1 : 0;
  const std::size_t regressions = stored.diff ? stored.diff->regressions() : 0;
  const auto code = actionable || regressions ? ExitCode::updates_available : ExitCode::ok;
  weekly::finish_run(context, stored.id, to_int(code), files);

  const std::string changes = stored.diff ? std::to_string(stored.diff->changes.size()) + " changes and " +
                                                std::to_string(regressions) + " regressions since run " +
                                                std::to_string(stored.diff->from_run)
                                          : std::string("first run of this machine: nothing to compare with");
  const std::string message =
      std::to_string(audit.devices.size()) + " devices, " + std::to_string(actionable) + " with updates; " + changes;
  weekly::save_last_run(context, {stored.recorded_at, to_int(code), stored.id, message});
  spdlog::info("schedule run {}: {}", stored.id, message);

  if (o.report.chosen_format() == "json") {
    nlohmann::ordered_json doc;
    doc["schema"] = "drvaudit-schedule-run/1";
    doc["run"] = stored.id;
    doc["recorded_at"] = stored.recorded_at;
    doc["machine"] = audit.machine.hostname;
    doc["devices"] = audit.devices.size();
    doc["updates"] = actionable;
    doc["changes"] =
        stored.diff ? nlohmann::ordered_json(stored.diff->changes.size()) : nlohmann::ordered_json(nullptr);
    doc["regressions"] = regressions;
    doc["exit_code"] = to_int(code);
    doc["reports"] = nlohmann::ordered_json::array();
    for (const auto& f : files) doc["reports"].push_back(f.string());
    write_report(o.report, render::json_text(std::move(doc)));
  } else {
    std::string out = "run " + std::to_string(stored.id) + " of " + text::escape_control(audit.machine.hostname) +
                      " stored: " + message + "\n";
    for (const auto& f : files) out += "  " + text::escape_control(f.string()) + "\n";
    write_report(o.report, out);
  }
  return code;
}

ExitCode run_schedule_run(const GlobalOptions& globals, const RunOptions& o) {
  o.report.chosen_format();
  check_run_options(o);
  AppContext context(globals);
  try {
    return weekly_run(globals, o, context);
  } catch (const Error& e) {
    // `schedule status` must show a failed run too, not only the last good one.
    try {
      weekly::save_last_run(context, {utc_now_iso8601(), to_int(exit_code_for(e.kind())), 0, e.what()});
    } catch (const Error&) {
    }
    throw;
  }
}

// ---- install, remove, status --------------------------------------------------------------------

schedule::ScheduledCommand scheduled_command(const AppContext& context, const RunOptions& o) {
  schedule::ScheduledCommand c;
  c.program = process::current_executable();
  c.arguments = {"--state-dir",  std::filesystem::absolute(context.state_dir()).string(),
                 "schedule",     "run",
                 "--report-dir", report_dir_of(context, o).string(),
                 "--formats",    text::join(o.formats, ","),
                 "--keep",       std::to_string(o.keep)};
  schedule::check_command(c);
  return c;
}

ExitCode run_steps(const GlobalOptions& globals, const AppContext& context, schedule::Scheduler& scheduler,
                   const std::string& kind, const std::vector<updater::PlannedStep>& steps, bool yes,
                   const std::string& question, const nlohmann::json& details) {
  confirm(question, yes);
  const auto lock = take_updater_lock(context);
  updater::Journal journal(journal_file(context));
  const auto id = journal.begin(kind, globals.command_line, details, steps);
  updater::Runner runner(journal, scheduler.factory());
  runner.on_step = [](const updater::StepRecord& step, const updater::Outcome& outcome) {
    std::printf("  %s: %s (%s)\n", updater::step_state_name(step.state).data(),
                text::escape_control(step.description).c_str(), text::escape_control(outcome.evidence).c_str());
  };
  const auto result = runner.run(id);
  if (result.state == updater::OperationState::done) {
    std::printf("done (journal operation %lld)\n", static_cast<long long>(id));
    return ExitCode::ok;
  }
  spdlog::error("{}", result.message);
  return result.unsupported ? ExitCode::unsupported : ExitCode::error;
}

ExitCode run_install(const GlobalOptions& globals, const InstallOptions& o) {
  check_run_options(o.run);
  if (o.weekly.size() != 2) throw UsageError("--weekly takes a day and a time: --weekly SUN 03:00");
  const auto when = schedule::parse_weekly(o.weekly[0], o.weekly[1]);
  AppContext context(globals);
  if (globals.replays())
    throw UsageError("schedule install registers the audit of this machine: --snapshot/--sysfs-root do not apply");
  auto scheduler = schedule::open_scheduler(o.scheduler);
  if (!o.dry_run && scheduler->needs_administrator())
    require_administrator(std::nullopt, "schedule install", "the system's scheduler (use --user for your own)");
  const schedule::InstallRequest request{when, scheduled_command(context, o.run)};
  const auto steps = scheduler->plan_install(request);
  std::string plan = "weekly audit on " + std::string(schedule::day_name(when.day)) + " at " +
                     schedule::time_text(when) +
                     " (next: " + schedule::next_run_text(when, std::chrono::system_clock::now()) + "), with " +
                     scheduler->name() + "\nreports (" + text::join(o.run.formats, ", ") + ") in " +
                     text::escape_control(report_dir_of(context, o.run).string()) + "; history keeps " +
                     std::to_string(o.run.keep) + " runs\n";
  for (std::size_t i = 0; i < steps.size(); ++i)
    plan += "  " + std::to_string(i + 1) + ". " + text::escape_control(steps[i].description) + "\n";
  // Each line's text is escaped, never the line breaks: a plan of lines, not one line with "\n" in it.
  std::fputs(plan.c_str(), stdout);
  if (o.dry_run) {
    std::puts("dry run: nothing was changed");
    return ExitCode::ok;
  }
  const nlohmann::json details{
      {"day", schedule::day_name(when.day)}, {"time", schedule::time_text(when)}, {"scheduler", scheduler->name()}};
  return run_steps(globals, context, *scheduler, "schedule-install", steps, o.yes,
                   "Register the weekly audit with " + scheduler->name() + "?", details);
}

ExitCode run_remove(const GlobalOptions& globals, const InstallOptions& o) {
  AppContext context(globals);
  auto scheduler = schedule::open_scheduler(o.scheduler);
  if (!o.dry_run && scheduler->needs_administrator())
    require_administrator(std::nullopt, "schedule remove", "the system's scheduler");
  const auto steps = scheduler->plan_remove();
  if (steps.empty()) {
    std::printf("no weekly audit is registered with %s: nothing to remove\n", scheduler->name().c_str());
    return ExitCode::ok;
  }
  std::printf("remove the weekly audit from %s\n", scheduler->name().c_str());
  for (std::size_t i = 0; i < steps.size(); ++i)
    std::printf("  %zu. %s\n", i + 1, text::escape_control(steps[i].description).c_str());
  if (o.dry_run) {
    std::puts("dry run: nothing was changed");
    return ExitCode::ok;
  }
  return run_steps(globals, context, *scheduler, "schedule-remove", steps, o.yes,
                   "Remove the weekly audit from " + scheduler->name() + "?", {{"scheduler", scheduler->name()}});
}

ExitCode run_status(const GlobalOptions& globals, const InstallOptions& o) {
  const auto format = o.report.chosen_format();
  AppContext context(globals);
  auto scheduler = schedule::open_scheduler(o.scheduler);
  const auto status = scheduler->status();
  const auto last = weekly::load_last_run(context);
  std::optional<std::string> next;
  if (status.registered && status.when) next = schedule::next_run_text(*status.when, std::chrono::system_clock::now());
  if (format == "json") {
    nlohmann::ordered_json doc;
    doc["schema"] = "drvaudit-schedule-status/1";
    doc["registered"] = status.registered;
    doc["scheduler"] = scheduler->name();
    doc["where"] = status.where;
    doc["weekly"] = status.when ? nlohmann::ordered_json{{"day", schedule::day_name(status.when->day)},
                                                         {"time", schedule::time_text(*status.when)}}
                                : nlohmann::ordered_json(nullptr);
    doc["next_run"] = next ? nlohmann::ordered_json(*next) : nlohmann::ordered_json(nullptr);
    doc["command"] = status.command;
    doc["detail"] = status.detail;
    doc["last_run"] = last ? nlohmann::ordered_json{{"at", last->at},
                                                    {"exit_code", last->exit_code},
                                                    {"run", last->run_id},
                                                    {"message", last->message}}
                           : nlohmann::ordered_json(nullptr);
    write_report(o.report, render::json_text(std::move(doc)));
  } else {
    const auto safe = [](const std::string& s) { return text::escape_control(s); };
    std::string out = "scheduler:  " + safe(scheduler->name()) + "\n";
    out += "registered: " + std::string(status.registered ? "yes" : "no") + "\n";
    for (const auto& w : status.where) out += "  " + safe(w) + "\n";
    if (status.when)
      out += "weekly:     " + std::string(schedule::day_name(status.when->day)) + " " +
             schedule::time_text(*status.when) + "\n";
    if (next) out += "next run:   " + *next + " (local time)\n";
    if (!status.command.empty()) out += "runs:       " + safe(status.command) + "\n";
    if (!status.detail.empty()) out += "scheduler says: " + safe(status.detail) + "\n";
    out += "last run:   " +
           (last ? safe(last->at) + ", exit " + std::to_string(last->exit_code) + ": " + safe(last->message)
                 : std::string("never")) +
           "\n";
    write_report(o.report, out);
  }
  return ExitCode::ok;
}

void add_scheduler_options(CLI::App& cmd, schedule::SchedulerOptions& s) {
  cmd.add_flag("--user", s.user, "Linux: your own systemd instance (~/.config/systemd/user), no root needed");
  cmd.add_option("--root", s.root, "Linux: write the unit or cron files below DIR instead of / (tests, packaging)")
      ->type_name("DIR");
  cmd.add_option("--via", s.via, "Linux: systemd or cron (default: systemd when it is running, else cron)")
      ->type_name("NAME");
}

void add_run_options(CLI::App& cmd, RunOptions& o) {
  cmd.add_option("--report-dir", o.report_dir, "Write the reports to DIR (default: reports/ in the state folder)")
      ->type_name("DIR");
  cmd.add_option("--formats", o.formats, "Report formats, comma-separated: csv, json, html (default: all three)")
      ->type_name("LIST")
      ->delimiter(',');
  cmd.add_option("--keep", o.keep, "Keep the newest N runs of this machine in the history (default 104)")
      ->type_name("N");
}
}  // namespace

void add_schedule(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  CLI::App* schedule = app.add_subcommand("schedule", "The weekly audit: register it, see it, run it");
  schedule->require_subcommand(1);

  auto i = std::make_shared<InstallOptions>();
  CLI::App* install = schedule->add_subcommand("install", "Register the weekly audit with the system's scheduler");
  install->add_option("--weekly", i->weekly, "Day and time, local: --weekly SUN 03:00")
      ->type_name("DAY HH:MM")
      ->expected(2)
      ->required();
  add_run_options(*install, i->run);
  add_scheduler_options(*install, i->scheduler);
  install->add_flag("--dry-run", i->dry_run, "Show what would be registered; change nothing");
  install->add_flag("-y,--yes", i->yes, "Do not ask for confirmation");
  install->footer(
      "Linux: a systemd service and timer (Persistent, randomized delay of 5 minutes), or /etc/cron.d/drvaudit when\n"
      "systemd is not running. Windows: the task \\drvaudit\\Weekly audit, as SYSTEM with highest privileges.\n"
      "Exit 3 when this system's scheduler cannot run a weekly task (nothing is registered then).");
  install->callback([&globals, &exit_code, i] { exit_code = run_install(globals, *i); });

  auto r = std::make_shared<InstallOptions>();
  CLI::App* remove = schedule->add_subcommand("remove", "Remove the weekly audit from the scheduler");
  add_scheduler_options(*remove, r->scheduler);
  remove->add_flag("--dry-run", r->dry_run, "Show what would be removed; change nothing");
  remove->add_flag("-y,--yes", r->yes, "Do not ask for confirmation");
  remove->callback([&globals, &exit_code, r] { exit_code = run_remove(globals, *r); });

  auto s = std::make_shared<InstallOptions>();
  CLI::App* status = schedule->add_subcommand("status", "Whether the weekly audit is registered, next and last run");
  add_scheduler_options(*status, s->scheduler);
  add_report_options(*status, s->report, {"table", "json"});
  status->callback([&globals, &exit_code, s] { exit_code = run_status(globals, *s); });

  auto n = std::make_shared<RunOptions>();
  CLI::App* run = schedule->add_subcommand(
      "run", "Audit now as the weekly task does: store the run, diff it with the last, write the reports");
  add_run_options(*run, *n);
  add_report_options(*run, n->report, {"table", "json"});
  run->footer(
      "Exit 10 when updates are available or the diff shows a regression (a driver downgraded, a new problem\n"
      "code), 0 otherwise, 1 on error; `schedule status` shows the last result.");
  run->callback([&globals, &exit_code, n] { exit_code = run_schedule_run(globals, *n); });
}

}  // namespace drvaudit::commands
