#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "catalog/machine_audit.hpp"
#include "common/error.hpp"
#include "common/lock_file.hpp"
#include "common/privileges.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"
#include "scanner/snapshot.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/commands/system_change.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/update_render.hpp"
#include "updater/driver_system.hpp"
#include "updater/journal.hpp"
#include "updater/repair/repair_steps.hpp"
#include "updater/runner.hpp"
#include "updater/schedule/scheduler.hpp"
#include "updater/step_factory.hpp"
#include "updater/update_session.hpp"

// update, rollback and journal: the commands that change a system (and the one that shows what
// they changed). The library does the work (updater/); this file parses, confirms and renders.
namespace drvaudit::commands {

namespace {
struct UpdateOptions {
  ReportOptions report;
  std::vector<std::string> devices;
  bool all = false;
  std::vector<std::string> categories;
  bool include_better_match = false;
  bool dry_run = false;
  bool yes = false;
  bool no_restore_point = false;
  bool allow_unsigned = false;
  bool allow_irreversible = false;
  bool resume = false;
  std::optional<std::filesystem::path> stage_dir, from_stage, root;
};

struct RollbackOptions {
  ReportOptions report;
  std::optional<std::int64_t> operation;
  bool last = false;
  bool dry_run = false;
  bool yes = false;
  std::optional<std::filesystem::path> root;
};

struct JournalOptions {
  ReportOptions report;
  std::optional<std::int64_t> show;
};

std::unique_ptr<updater::DriverSystem> open_system(const std::optional<std::filesystem::path>& root) {
  return root ? updater::open_fixture_system(*root) : updater::open_this_system();
}

ExitCode exit_for(const updater::RunResult& result, bool any_refused) {
  switch (result.state) {
    case updater::OperationState::done:
      if (result.reboot_required) return ExitCode::reboot_required;
      return any_refused ? ExitCode::error : ExitCode::ok;
    case updater::OperationState::rolled_back: return ExitCode::ok;
    default: return result.unsupported ? ExitCode::unsupported : ExitCode::error;
  }
}

void report_progress(updater::Runner& runner) {
  runner.on_step = [](const updater::StepRecord& step, const updater::Outcome& outcome) {
    spdlog::info("step {} {}: {} ({})", step.seq, step.kind, updater::step_state_name(step.state), outcome.evidence);
  };
}

std::string render_update(const GlobalOptions& globals, const UpdateOptions& options,
                          const render::UpdateReport& report) {
  return options.report.chosen_format() == "json" ? render::update_json(report)
                                                  : render::update_table(report, table_layout(globals, options.report));
}

void check_update_options(const UpdateOptions& o, const GlobalOptions& globals) {
  o.report.chosen_format();
  if (o.stage_dir && o.from_stage) throw UsageError("--stage-dir and --from-stage: one prepares, the other installs");
  if (o.resume && (o.all || !o.devices.empty() || o.stage_dir || o.from_stage))
    throw UsageError("--resume finishes the interrupted operation: it takes no devices, --all or stage folder");
  if (o.from_stage && (o.all || !o.devices.empty()))
    throw UsageError("--from-stage installs what the stage folder holds: it takes no devices or --all");
  if (o.root && globals.replays())
    throw UsageError("--root is a recorded machine with its own snapshot.json: --snapshot/--sysfs-root do not apply");
  if (!o.stage_dir && globals.replays())
    throw UsageError("--snapshot describes another machine: add --stage-dir DIR to prepare its packages here");
}

// The machine to plan for, audited.
audit::MachineAudit audit_for_update(const AppContext& context, const GlobalOptions& globals,
                                     const UpdateOptions& options) {
  std::vector<Inventory> inventories;
  if (options.root) {
    inventories.push_back(snapshot::load(*options.root / "snapshot.json"));
  } else {
    inventories = context.inventories();
  }
  if (inventories.size() != 1) throw UsageError("update plans for one machine at a time: give one --snapshot");
  if (audit::platform_of(inventories.front().machine.os) != audit::Platform::windows)
    throw UnsupportedError("the machine to update runs Linux: its drivers come with the kernel");
  audit::MachineAuditOptions request;
  request.catalog_file = context.catalog_file();
  request.live_machine = !globals.replays() && !options.root;
  request.categories = options.categories;
  auto audit = audit::run_machine_audit(inventories.front(), request);
  for (const auto& w : audit.warnings) spdlog::warn("{}", w);
  return audit;
}

updater::PrepareOptions prepare_options(const AppContext& context, const inf::TargetOs& target, bool allow_unsigned) {
  updater::PrepareOptions p;
  p.target = target;
  p.allow_unsigned = allow_unsigned;
  catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  for (const auto& f : store.feed_sources()) p.feed_ca_files.emplace_back(f.url, f.ca_file);
  return p;
}

// Runs the journaled operation and renders its outcome.
ExitCode run_operation(updater::Journal& journal, updater::DriverSystem& system, std::int64_t id,
                       render::UpdateReport& report, const GlobalOptions& globals, const UpdateOptions& options,
                       bool any_refused) {
  updater::Runner runner(journal, updater::step_factory(system));
  report_progress(runner);
  const auto result = runner.run(id);
  report.operation = journal.get(id);
  report.result = result;
  write_report(options.report, render_update(globals, options, report));
  if (result.state != updater::OperationState::done) spdlog::error("{}", result.message);
  return exit_for(result, any_refused);
}

ExitCode run_update(const GlobalOptions& globals, const UpdateOptions& options) {
  check_update_options(options, globals);
  AppContext context(globals);
  const bool changes = !options.stage_dir && !options.dry_run;
  if (changes) require_administrator(options.root, "update");
  std::unique_ptr<LockFile> lock;
  if (!options.dry_run) lock = take_updater_lock(context);
  updater::Journal journal(journal_file(context));
  render::UpdateReport report;
  report.dry_run = options.dry_run;

  if (options.resume) {
    const auto op = journal.unfinished();
    if (!op) {
      write_report(options.report, "nothing to resume: no operation was interrupted\n");
      return ExitCode::ok;
    }
    auto system = open_system(options.root);
    report.mode = "resume";
    report.machine = system->name();
    return run_operation(journal, *system, op->id, report, globals, options, false);
  }
  if (!options.stage_dir) updater::refuse_if_interrupted(journal);

  // The system comes first: on Linux it says what Linux does instead before any audit work.
  std::unique_ptr<updater::DriverSystem> system;
  if (!options.stage_dir) system = open_system(options.root);

  updater::UpdatePlan plan;
  std::vector<updater::PreparedPackage> packages;
  MachineInfo audited;  // the machine a stage folder is for
  updater::PackageCache cache(context.state_dir() / "packages");
  // The dry run is the run minus the changes: every package is fetched into the cache, verified and
  // checked the same way, with the same refusals and exit code; only the restore point, the
  // installs and the stage folder's files are left out.
  if (options.from_stage) {
    const auto manifest = updater::read_manifest(*options.from_stage);
    auto inventory = options.root ? snapshot::load(*options.root / "snapshot.json") : context.inventories().front();
    audit::TargetSource source{};
    std::vector<std::string> warnings;
    const auto target = audit::target_for(inventory.machine, {}, source, warnings);
    report.mode = "from-stage";
    report.machine = inventory.machine.hostname;
    const auto prep = prepare_options(context, target, options.allow_unsigned);
    for (const auto& s : manifest.packages)
      packages.push_back(updater::prepare_staged(cache, *options.from_stage, s, prep));
  } else {
    const auto audit = audit_for_update(context, globals, options);
    plan = updater::make_plan(audit, {options.devices, options.all, options.include_better_match});
    report.plan = &plan;
    report.machine = audit.machine.hostname;
    audited = audit.machine;
    report.mode = options.stage_dir ? "stage" : "install";
    if (plan.devices.empty()) {
      write_report(options.report, render_update(globals, options, report));
      return ExitCode::ok;
    }
    auto prep = prepare_options(context, audit.target, options.allow_unsigned);
    prep.staging = options.stage_dir.has_value();
    for (const auto& d : plan.devices) packages.push_back(updater::prepare_package(cache, d, prep));
  }
  for (const auto& p : packages) {
    if (!p.ready) spdlog::warn("{}: {}", p.instance_id, p.why);
  }
  report.packages = &packages;
  bool any_refused = false;
  for (const auto& p : packages) any_refused = any_refused || !p.ready;
  if (options.stage_dir) {
    if (!options.dry_run) {
      updater::stage_packages(*options.stage_dir, audited, packages);
      report.stage_dir = options.stage_dir->string();
    }
    write_report(options.report, render_update(globals, options, report));
    return any_refused ? ExitCode::error : ExitCode::ok;
  }
  report.steps = updater::build_steps(*system, packages, !options.no_restore_point, options.allow_irreversible);
  if (report.steps.empty() || options.dry_run) {
    write_report(options.report, render_update(globals, options, report));
    return any_refused ? ExitCode::error : ExitCode::ok;
  }
  // The plan, then the question: what will be installed, what was refused and every step (on
  // standard error: standard output is the report's).
  if (!options.yes) {
    std::fputs(render_update(globals, options, report).c_str(), stderr);
  }
  confirm("Update " + std::to_string(report.steps.size() - (options.no_restore_point ? 0 : 2)) + " driver(s) on " +
              system->name() + " as planned above?",
          options.yes);
  nlohmann::json details{{"machine", report.machine},
                         {"mode", report.mode},
                         {"restore_point", !options.no_restore_point},
                         {"allow_unsigned", options.allow_unsigned}};
  const auto id = journal.begin("update", globals.command_line, details, report.steps);
  return run_operation(journal, *system, id, report, globals, options, any_refused);
}

ExitCode run_rollback(const GlobalOptions& globals, const RollbackOptions& options) {
  options.report.chosen_format();
  if (options.operation && options.last) throw UsageError("give an OPERATION or --last, not both");
  if (!options.operation && !options.last)
    throw UsageError("name the OPERATION to roll back (see drvaudit journal), or --last");
  AppContext context(globals);
  if (!options.dry_run) require_administrator(options.root, "rollback");
  std::unique_ptr<LockFile> lock;
  if (!options.dry_run) lock = take_updater_lock(context);
  updater::Journal journal(journal_file(context));
  const auto op = options.operation ? journal.get(*options.operation) : journal.last();
  if (!op)
    throw Error(options.operation ? "no operation " + std::to_string(*options.operation) + " in the journal"
                                  : "the journal is empty: there is nothing to roll back");
  if (op->state == updater::OperationState::rolled_back) {
    write_report(options.report, "operation " + std::to_string(op->id) + " was rolled back already\n");
    return ExitCode::ok;
  }
  // Newer operations still in effect on the same devices or files go first: refused (dry run too).
  if (const auto newer = updater::newer_overlapping(journal, *op); !newer.empty()) {
    std::vector<std::string> said;
    for (const auto& n : newer)
      said.push_back("operation " + std::to_string(n.operation) + " (" + n.kind + ") changed " +
                     text::escape_control(text::join(n.targets, ", ")) + " after it");
    throw UsageError("rolling back operation " + std::to_string(op->id) +
                     " now would take back what newer operations " + "still rely on: " + text::join(said, "; ") +
                     "; roll those back first (newest first: drvaudit " + "rollback " +
                     std::to_string(newer.back().operation) + "), nothing was changed");
  }
  const bool json = options.report.chosen_format() == "json";
  std::string plan = "rolling back operation " + std::to_string(op->id) + " (" + op->kind + ", " + op->started_at +
                     ") undoes, newest first:\n";
  for (auto it = op->steps.rbegin(); it != op->steps.rend(); ++it) {
    if (it->state == updater::StepState::pending || it->state == updater::StepState::undone ||
        it->state == updater::StepState::skipped)
      continue;
    plan += "  " + std::to_string(it->seq) + ". undo: " + text::escape_control(it->description) + "\n";
  }
  if (options.dry_run) {
    write_report(options.report, json ? render::operation_json(*op) : "dry run: " + plan);
    return ExitCode::ok;
  }
  // A schedule operation's steps carry their own files and tasks; a driver operation needs the system,
  // and a repair's its services, folders and registry values.
  const bool schedule_op = op->kind.rfind("schedule-", 0) == 0;
  const bool repair_op = op->kind == "repair";
  std::unique_ptr<updater::DriverSystem> system;
  std::unique_ptr<repair::RepairSystem> repair_system;
  if (repair_op)
    repair_system = repair::open_repair_system();
  else if (!schedule_op)
    system = open_system(options.root);
  // The plan, then the question (on standard error: standard output is the report's).
  if (!options.yes) std::fputs(plan.c_str(), stderr);
  confirm("Roll back operation " + std::to_string(op->id) + " (" + op->kind + ", " + op->started_at + ") on " +
              (system          ? system->name()
               : repair_system ? repair_system->name()
                               : std::string("this machine's scheduler")) +
              "?",
          options.yes);
  updater::Runner runner(journal, schedule_op ? schedule::schedule_step_factory()
                                  : repair_op ? repair::repair_step_factory(*repair_system)
                                              : updater::step_factory(*system));
  report_progress(runner);
  const auto result = runner.rollback(op->id);
  const auto after = journal.get(op->id);
  write_report(options.report, json ? render::operation_json(*after)
                                    : render::operation_table(*after, table_layout(globals, options.report)));
  if (result.state != updater::OperationState::rolled_back) {
    spdlog::error("{}", result.message);
    return ExitCode::error;
  }
  return ExitCode::ok;
}

ExitCode run_journal(const GlobalOptions& globals, const JournalOptions& options) {
  const bool json = options.report.chosen_format() == "json";
  AppContext context(globals);
  if (!journal_present(context)) {
    write_report(options.report, json ? render::journal_list_json({}) : render::journal_list_table({}, {}));
    return ExitCode::ok;
  }
  updater::Journal journal(journal_file(context));
  const auto layout = table_layout(globals, options.report);
  if (options.show) {
    const auto op = journal.get(*options.show);
    if (!op)
      throw UsageError("no operation " + std::to_string(*options.show) + " in the journal (see drvaudit journal list)");
    write_report(options.report, json ? render::operation_json(*op) : render::operation_table(*op, layout));
    return ExitCode::ok;
  }
  const auto ops = journal.list();
  write_report(options.report, json ? render::journal_list_json(ops) : render::journal_list_table(ops, layout));
  return ExitCode::ok;
}
}  // namespace

void add_update(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto o = std::make_shared<UpdateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "update", "Install the better drivers the audit found, behind a restore point, with a journal to roll back");
  cmd->add_option("devices", o->devices, "Devices to update (instance ID, hardware ID or part of the name)")
      ->type_name("DEVICE");
  cmd->add_flag("--all", o->all, "Every device with an update (or a missing driver)");
  cmd->add_option("--category", o->categories, "Only devices of this setup class; repeatable")->type_name("CLASS");
  cmd->add_flag("--include-better-match", o->include_better_match,
                "Also install better-matching drivers that are not newer (forced past Windows' choice)");
  cmd->add_flag("--dry-run", o->dry_run, "Show the plan and its steps; change nothing");
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->add_flag("--no-restore-point", o->no_restore_point, "Update without a System Restore point");
  cmd->add_flag("--allow-irreversible", o->allow_irreversible,
                "Also run steps this system cannot undo (a driver for a device that has none, where Windows lacks "
                "DiUninstallDriverW)");
  cmd->add_flag("--allow-unsigned", o->allow_unsigned,
                "Also install packages whose catalog does not vouch for them (lab and test-signed drivers)");
  cmd->add_flag("--resume", o->resume, "Finish the operation an interrupted drvaudit left");
  cmd->add_option("--stage-dir", o->stage_dir,
                  "Prepare (download, verify, extract) the packages into DIR for another machine; install nothing")
      ->type_name("DIR");
  cmd->add_option("--from-stage", o->from_stage, "Install the packages a --stage-dir run prepared in DIR")
      ->type_name("DIR");
  cmd->add_option("--root", o->root,
                  "Update the recorded machine in DIR (its snapshot.json and inf/) instead of this one: rehearsals")
      ->type_name("DIR");
  add_report_options(*cmd, o->report, {"table", "json"});
  cmd->footer(
      "Chooses update_available and missing_driver devices (better_match with --include-better-match), never an\n"
      "unproven verdict. Exit 0 done or nothing to do, 1 failed (and rolled back), 3 unsupported here (no System\n"
      "Restore: see --no-restore-point), 4 needs administrator, 5 busy or an interrupted operation, 6 declined at the "
      "question, 20 reboot "
      "required.");
  cmd->callback([&globals, &exit_code, o] { exit_code = run_update(globals, *o); });

  auto r = std::make_shared<RollbackOptions>();
  CLI::App* rollback = app.add_subcommand("rollback", "Put back the drivers an update replaced (see drvaudit journal)");
  rollback->add_option("operation", r->operation, "The operation to roll back")->type_name("ID");
  rollback->add_flag("--last", r->last, "The newest operation");
  rollback->add_flag("--dry-run", r->dry_run, "Show what would be undone; change nothing");
  rollback->add_flag("-y,--yes", r->yes, "Do not ask for confirmation");
  rollback->add_option("--root", r->root, "Roll back on the recorded machine in DIR")->type_name("DIR");
  add_report_options(*rollback, r->report, {"table", "json"});
  rollback->callback([&globals, &exit_code, r] { exit_code = run_rollback(globals, *r); });

  auto j = std::make_shared<JournalOptions>();
  CLI::App* journal = app.add_subcommand("journal", "What drvaudit changed: operations and their steps with evidence");
  journal->require_subcommand(0, 1);
  auto jl = std::make_shared<JournalOptions>();
  CLI::App* list = journal->add_subcommand("list", "Every operation, newest first (the default)");
  add_report_options(*list, jl->report, {"table", "json"});
  list->callback([&globals, &exit_code, jl] { exit_code = run_journal(globals, *jl); });
  auto js = std::make_shared<JournalOptions>();
  CLI::App* show = journal->add_subcommand("show", "One operation with every step and its evidence");
  show->add_option("id", js->show, "The operation")->type_name("ID")->required();
  add_report_options(*show, js->report, {"table", "json"});
  show->callback([&globals, &exit_code, js] { exit_code = run_journal(globals, *js); });
  add_report_options(*journal, j->report, {"table", "json"});
  journal->callback([&globals, &exit_code, j, journal] {
    if (journal->get_subcommands().empty()) exit_code = run_journal(globals, *j);
  });
}

}  // namespace drvaudit::commands
