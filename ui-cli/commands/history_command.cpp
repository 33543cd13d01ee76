#include "catalog/history/history_store.hpp"
#include "catalog/history/run_diff.hpp"
#include "common/error.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/history_render.hpp"

// history list | show ID | diff [A [B]]: the stored audits of this state folder (history.db).
namespace drvaudit::commands {

namespace {
struct HistoryOptions {
  ReportOptions report;
  std::string machine;
  std::optional<std::int64_t> show;
  std::vector<std::int64_t> runs;  // diff's A and B
};

history::RunRecord stored_run(const history::Store& store, std::int64_t id) {
  auto run = store.get(id);
  if (!run) throw UsageError("there is no stored run " + std::to_string(id) + " (see drvaudit history list)");
  return *run;
}

ExitCode run_list(const GlobalOptions& globals, const HistoryOptions& o) {
  const auto format = o.report.chosen_format();
  AppContext context(globals);
  const history::Store store(context.history_file());
  const auto runs = store.list(o.machine);
  write_report(o.report, format == "json"  ? render::runs_json(runs)
                         : format == "csv" ? render::runs_csv(runs)
                                           : render::runs_table(runs, table_layout(globals, o.report)));
  return ExitCode::ok;
}

ExitCode run_show(const GlobalOptions& globals, const HistoryOptions& o) {
  const auto format = o.report.chosen_format();
  AppContext context(globals);
  const history::Store store(context.history_file());
  const auto run = stored_run(store, *o.show);
  write_report(o.report, format == "json"  ? render::run_json(run)
                         : format == "csv" ? render::run_csv(run)
                                           : render::run_table(run, table_layout(globals, o.report)));
  return ExitCode::ok;
}

// No ID: the machine's last two runs. One ID: that run against the newest run of its machine.
ExitCode run_diff(const GlobalOptions& globals, const HistoryOptions& o) {
  const auto format = o.report.chosen_format();
  if (o.runs.size() > 2) throw UsageError("history diff compares two runs: give at most two IDs");
  AppContext context(globals);
  const history::Store store(context.history_file());
  history::RunRecord from, to;
  if (o.runs.empty()) {
    const auto newest = store.latest(o.machine);
    if (!newest) throw UsageError("no audits stored yet: run `drvaudit audit` or `drvaudit schedule run` first");
    const auto before = store.previous(newest->id);
    if (!before)
      throw UsageError("only one run of " + newest->machine + " is stored (run " + std::to_string(newest->id) +
                       "): a diff needs two");
    from = *before;
    to = *newest;
  } else {
    from = stored_run(store, o.runs[0]);
    to = o.runs.size() == 2 ? stored_run(store, o.runs[1]) : *store.latest(from.machine);
  }
  if (from.machine != to.machine)
    throw UsageError("runs " + std::to_string(from.id) + " and " + std::to_string(to.id) + " are of two machines (" +
                     from.machine + ", " + to.machine + "): a diff compares one machine's runs");
  const auto diff = history::diff_runs(from, to);
  write_report(o.report, format == "json"  ? render::diff_json(diff, to.machine)
                         : format == "csv" ? render::diff_csv(diff, to.machine)
                                           : render::diff_table(diff, to.machine, table_layout(globals, o.report)));
  return diff.regressions() ? ExitCode::updates_available : ExitCode::ok;
}

void add_machine_option(CLI::App& cmd, HistoryOptions& o) {
  cmd.add_option("--machine", o.machine, "Only the runs of this machine (its host name)")->type_name("NAME");
}
}  // namespace

void add_history(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  CLI::App* history = app.add_subcommand("history", "The stored audits of this machine, and what changed between them");
  history->footer(
      "Every `audit` of this machine and every `schedule run` is stored (history.db in the state folder; the last 104\n"
      "runs of each machine by default). `history diff` exits 10 when the later run shows a regression (a driver\n"
      "that went backwards or a new problem code).");

  auto l = std::make_shared<HistoryOptions>();
  CLI::App* list = history->add_subcommand("list", "The stored runs, newest first (the default)");
  add_report_options(*list, l->report, {"table", "json", "csv"});
  add_machine_option(*list, *l);
  list->callback([&globals, &exit_code, l] { exit_code = run_list(globals, *l); });

  auto s = std::make_shared<HistoryOptions>();
  CLI::App* show = history->add_subcommand("show", "One stored run with every device, its driver and verdict");
  show->add_option("id", s->show, "The run (see history list)")->type_name("ID")->required();
  add_report_options(*show, s->report, {"table", "json", "csv"});
  show->callback([&globals, &exit_code, s] { exit_code = run_show(globals, *s); });

  auto d = std::make_shared<HistoryOptions>();
  CLI::App* diff = history->add_subcommand(
      "diff", "What changed between two runs (default: the last two; one ID: that run against the newest)");
  diff->add_option("runs", d->runs, "The earlier run, then the later one")->type_name("ID");
  add_report_options(*diff, d->report, {"table", "json", "csv"});
  add_machine_option(*diff, *d);
  diff->callback([&globals, &exit_code, d] { exit_code = run_diff(globals, *d); });

  auto h = std::make_shared<HistoryOptions>();
  add_report_options(*history, h->report, {"table", "json", "csv"});
  add_machine_option(*history, *h);
  history->callback([&globals, &exit_code, h, history] {
    if (history->get_subcommands().empty()) exit_code = run_list(globals, *h);
  });
}

}  // namespace drvaudit::commands
