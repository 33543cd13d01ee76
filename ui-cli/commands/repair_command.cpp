#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "common/error.hpp"
#include "common/sntp.hpp"
#include "common/text.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/commands/system_change.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/repair_render.hpp"
#include "ui-cli/render/update_render.hpp"
#include "updater/journal.hpp"
#include "updater/repair/diagnosis.hpp"
#include "updater/repair/repair_plan.hpp"
#include "updater/repair/repair_steps.hpp"
#include "updater/runner.hpp"

// repair diagnose | windows-update | undo | history: the Windows Update repair. diagnose only reads;
// windows-update changes what the diagnosis (or --step) calls for as journaled steps; undo puts the
// journal's "before" back; history is the journal's repair operations.
namespace drvaudit::commands {

namespace {
constexpr const char* kRepairKind = "repair";

struct DiagnoseOptions {
  ReportOptions report;
  std::optional<std::string> ntp_server;
  double ntp_timeout_seconds = 3;
  bool no_search = false;
};

struct RepairOptions {
  ReportOptions report;
  std::vector<std::string> steps;
  std::optional<std::string> ntp_server;
  double service_timeout_seconds = 60;
  bool dry_run = false;
  bool yes = false;
};

struct UndoOptions {
  ReportOptions report;
  std::optional<std::int64_t> operation;
  bool last = false;
  bool dry_run = false;
  bool yes = false;
};

repair::DiagnoseOptions diagnose_options(const std::optional<std::string>& server, double timeout_seconds,
                                         bool search) {
  if (timeout_seconds <= 0 || timeout_seconds > 60) throw UsageError("--ntp-timeout takes 0.1 to 60 seconds");
  repair::DiagnoseOptions o;
  o.ntp_server = server;
  if (server) sntp::parse_server(*server);  // a bad HOST[:PORT] is a usage error, before anything runs
  o.ntp_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(timeout_seconds * 1000));
  o.search_windows_update = search;
  return o;
}

void print_step(const updater::StepRecord& step, const updater::Outcome& outcome) {
  std::printf("  %d. %s: %s (%s)\n", step.seq, updater::step_state_name(step.state).data(),
              text::escape_control(step.description).c_str(), text::escape_control(outcome.evidence).c_str());
  std::fflush(stdout);
}

ExitCode run_diagnose(const GlobalOptions& globals, const DiagnoseOptions& o) {
  const auto format = o.report.chosen_format();
  auto system = repair::open_repair_system();
  const auto d = repair::diagnose(*system, diagnose_options(o.ntp_server, o.ntp_timeout_seconds, !o.no_search));
  const auto machine = system->machine_name();
  write_report(o.report, format == "json" ? render::diagnosis_json(d, machine)
                                          : render::diagnosis_table(d, machine, table_layout(globals, o.report)));
  return d.any_problem() ? ExitCode::needs_attention : ExitCode::ok;
}

ExitCode run_windows_update(const GlobalOptions& globals, const RepairOptions& o) {
  const bool json = o.report.chosen_format() == "json";
  if (o.service_timeout_seconds < 1 || o.service_timeout_seconds > 600)
    throw UsageError("--service-timeout takes 1 to 600 seconds");
  auto system = repair::open_repair_system();
  if (!system->is_windows())
    throw UnsupportedError("repair windows-update repairs Windows Update: this is " + system->name() +
                           " (`drvaudit repair diagnose` checks the clock here)");
  AppContext context(globals);
  // An interrupted operation is finished or undone first: a new repair would journal over it.
  if (!o.dry_run && journal_present(context)) updater::refuse_if_interrupted(updater::Journal(journal_file(context)));
  auto names = o.steps;
  std::optional<repair::Diagnosis> diagnosis;
  const auto checks = diagnose_options(o.ntp_server, 3, false);
  std::string server = o.ntp_server.value_or("");
  if (names.empty()) {
    diagnosis = repair::diagnose(*system, checks);
    names = diagnosis->needed_steps();
    server = diagnosis->ntp_server;
    if (names.empty()) {
      std::fputs(render::diagnosis_table(*diagnosis, system->machine_name(), table_layout(globals, o.report)).c_str(),
                 stdout);
      std::puts("nothing was changed");
      return ExitCode::ok;
    }
  } else if (server.empty()) {
    server = repair::w32time_peer(*system).value_or("time.windows.com");
  }
  repair::RepairPlanOptions plan_options;
  plan_options.ntp_server = server;
  plan_options.service_wait = std::chrono::milliseconds(static_cast<std::int64_t>(o.service_timeout_seconds * 1000));
  const auto plan = repair::plan_repair(*system, names, plan_options);
  // JSON on standard output is the operation alone; the plan goes beside it.
  std::fputs(render::repair_plan_text(plan, names).c_str(), json ? stderr : stdout);
  if (o.dry_run) {
    std::fputs("dry run: nothing was changed\n", json ? stderr : stdout);
    return ExitCode::ok;
  }
  if (plan.steps.empty()) {
    std::fputs("nothing to do: nothing was changed\n", json ? stderr : stdout);
    return ExitCode::ok;
  }
  require_administrator(std::nullopt, "repair windows-update", "Windows Update's services, folders and settings");
  confirm("Run these " + std::to_string(plan.steps.size()) + " steps on " + system->name() + "?", o.yes);
  const auto lock = take_updater_lock(context);
  updater::Journal journal(journal_file(context));
  updater::refuse_if_interrupted(journal);
  const auto id =
      journal.begin(kRepairKind, globals.command_line, {{"steps", names}, {"ntp_server", server}}, plan.steps);
  updater::Runner runner(journal, repair::repair_step_factory(*system));
  if (!json) runner.on_step = print_step;
  const auto result = runner.run(id);
  if (json) {
    write_report(o.report, render::operation_json(*journal.get(id)));
  } else if (result.state == updater::OperationState::done) {
    std::printf("done (journal operation %lld; `drvaudit repair undo %lld` puts everything back)\n",
                static_cast<long long>(id), static_cast<long long>(id));
  }
  // The troubleshooter's findings are its own; drvaudit's are shown beside them in every case.
  if (!json && std::find(names.begin(), names.end(), "troubleshooter") != names.end()) {
    const auto after = repair::diagnose(*system, checks);
    std::fputs(render::diagnosis_table(after, system->machine_name(), table_layout(globals, o.report)).c_str(), stdout);
  }
  if (result.state == updater::OperationState::done) return ExitCode::ok;
  spdlog::error("{}", result.message);
  return result.unsupported ? ExitCode::unsupported : ExitCode::error;
}

ExitCode run_undo(const GlobalOptions& globals, const UndoOptions& o) {
  const bool json = o.report.chosen_format() == "json";
  if (o.operation && o.last) throw UsageError("give an ID or --last, not both");
  if (!o.operation && !o.last) throw UsageError("name the repair to undo (see drvaudit repair history), or --last");
  AppContext context(globals);
  auto system = repair::open_repair_system();
  if (!system->is_windows()) throw UnsupportedError("repair undo undoes Windows repairs: this is " + system->name());
  if (!journal_present(context)) throw Error("no repair in the journal: there is nothing to undo");
  std::unique_ptr<LockFile> lock;
  if (!o.dry_run) {
    require_administrator(std::nullopt, "repair undo", "Windows Update's services, folders and settings");
    lock = take_updater_lock(context);
  }
  updater::Journal journal(journal_file(context));
  std::optional<updater::OperationRecord> op;
  if (o.operation) {
    op = journal.get(*o.operation);
    if (!op || op->kind != kRepairKind)
      throw UsageError("operation " + std::to_string(*o.operation) + " is not a repair (see drvaudit repair history)");
  } else {
    for (const auto& listed : journal.list()) {
      if (listed.kind != kRepairKind) continue;
      op = journal.get(listed.id);
      break;
    }
    if (!op) throw Error("no repair in the journal: there is nothing to undo");
  }
  if (op->state == updater::OperationState::rolled_back) {
    std::printf("repair %lld was undone already\n", static_cast<long long>(op->id));
    return ExitCode::ok;
  }
  std::string plan = "undo repair " + std::to_string(op->id) + " (" + op->started_at + "), newest step first:\n";
  std::size_t undoable = 0;
  for (auto it = op->steps.rbegin(); it != op->steps.rend(); ++it) {
    if (it->state == updater::StepState::pending || it->state == updater::StepState::undone ||
        it->state == updater::StepState::skipped)
      continue;
    ++undoable;
    plan += "  " + std::to_string(it->seq) + ". undo: " + text::escape_control(it->description) + "\n";
  }
  if (!json) std::fputs(plan.c_str(), stdout);
  if (o.dry_run) {
    if (json)
      write_report(o.report, render::operation_json(*op));
    else
      std::puts("dry run: nothing was changed");
    return ExitCode::ok;
  }
  if (undoable) confirm("Undo repair " + std::to_string(op->id) + " on " + system->name() + "?", o.yes);
  updater::Runner runner(journal, repair::repair_step_factory(*system));
  if (!json) runner.on_step = print_step;
  const auto result = runner.rollback(op->id);
  if (json) write_report(o.report, render::operation_json(*journal.get(op->id)));
  if (result.state != updater::OperationState::rolled_back) {
    spdlog::error("{}", result.message);
    return ExitCode::error;
  }
  if (!json) std::printf("repair %lld undone\n", static_cast<long long>(op->id));
  return ExitCode::ok;
}

ExitCode run_history(const GlobalOptions& globals, const ReportOptions& report) {
  const bool json = report.chosen_format() == "json";
  AppContext context(globals);
  std::vector<updater::OperationRecord> repairs;
  if (journal_present(context)) {
    updater::Journal journal(journal_file(context));
    for (auto& op : journal.list())
      if (op.kind == kRepairKind) repairs.push_back(std::move(op));
  }
  if (!json && repairs.empty()) {
    write_report(report, "no repairs: drvaudit has not repaired Windows Update on this system\n");
    return ExitCode::ok;
  }
  write_report(report, json ? render::journal_list_json(repairs)
                            : render::journal_list_table(repairs, table_layout(globals, report)));
  return ExitCode::ok;
}

void add_ntp_server(CLI::App& cmd, std::optional<std::string>& server) {
  cmd.add_option("--ntp-server", server,
                 "Measure the clock against HOST[:PORT] (default: W32Time's configured peer, else time.windows.com)")
      ->type_name("HOST[:PORT]");
}
}  // namespace

void add_repair(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  CLI::App* repair =
      app.add_subcommand("repair", "Diagnose and repair Windows Update (0x80070002 and friends), with undo");
  repair->require_subcommand(1);

  auto d = std::make_shared<DiagnoseOptions>();
  CLI::App* diagnose = repair->add_subcommand("diagnose", "What is wrong with Windows Update here (reads only)");
  add_ntp_server(*diagnose, d->ntp_server);
  diagnose->add_option("--ntp-timeout", d->ntp_timeout_seconds, "Wait this long for the time server (default 3)")
      ->type_name("SECONDS");
  diagnose->add_flag("--no-search", d->no_search,
                     "Do not ask Windows Update to search for drivers (it can take minutes)");
  add_report_options(*diagnose, d->report, {"table", "json"});
  diagnose->footer(
      "One row per check: ok, problem or unknown, the evidence, and the repair step that fixes it.\n"
      "Exit 0 when nothing is wrong, 11 when a check found a problem. On Linux only the clock is checked.");
  diagnose->callback([&globals, &exit_code, d] { exit_code = run_diagnose(globals, *d); });

  auto r = std::make_shared<RepairOptions>();
  CLI::App* wu = repair->add_subcommand("windows-update", "Repair Windows Update: the steps the diagnosis calls for");
  wu->add_option("--step", r->steps,
                 "Run this step (repeat for more): clock, services, software-distribution, catroot2, troubleshooter, "
                 "allow-os-upgrade")
      ->type_name("NAME")
      ->delimiter(',');
  add_ntp_server(*wu, r->ntp_server);
  wu->add_option("--service-timeout", r->service_timeout_seconds,
                 "Wait this long for a service to stop or start (default 60)")
      ->type_name("SECONDS");
  wu->add_flag("--dry-run", r->dry_run, "Show the exact plan; change nothing");
  wu->add_flag("-y,--yes", r->yes, "Do not ask for confirmation");
  add_report_options(*wu, r->report, {"table", "json"});
  wu->footer(
      "Without --step, the steps `repair diagnose` finds needed, in this order: clock, services,\n"
      "software-distribution, catroot2, troubleshooter. allow-os-upgrade runs only when named. Folders are\n"
      "renamed (SoftwareDistribution.drvaudit-YYYYMMDD-HHMMSS), never deleted; policy keys, the firewall and DLL\n"
      "registrations are never touched. Every step is journaled: `drvaudit repair undo --last` puts it back.");
  wu->callback([&globals, &exit_code, r] { exit_code = run_windows_update(globals, *r); });

  auto u = std::make_shared<UndoOptions>();
  CLI::App* undo = repair->add_subcommand("undo", "Undo a repair: folders, registry values and services as they were");
  undo->add_option("id", u->operation, "The repair to undo (see drvaudit repair history)")->type_name("ID");
  undo->add_flag("--last", u->last, "The newest repair");
  undo->add_flag("--dry-run", u->dry_run, "Show what would be undone; change nothing");
  undo->add_flag("-y,--yes", u->yes, "Do not ask for confirmation");
  add_report_options(*undo, u->report, {"table", "json"});
  undo->callback([&globals, &exit_code, u] { exit_code = run_undo(globals, *u); });

  auto h = std::make_shared<ReportOptions>();
  CLI::App* history = repair->add_subcommand("history", "The repairs drvaudit made on this system (from the journal)");
  add_report_options(*history, *h, {"table", "json"});
  history->callback([&globals, &exit_code, h] { exit_code = run_history(globals, *h); });
}

}  // namespace drvaudit::commands
