#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "fleet/fleet_store.hpp"
#include "fleet/fleet_views.hpp"
#include "fleet/ingest.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/progress.hpp"
#include "ui-cli/render/fleet_render.hpp"

// fleet ingest | report | machines | updates | versions | regressions | diff: many machines' weekly
// reports in one database (fleet.db in the state folder, or PostgreSQL with --db).
namespace drvaudit::commands {

namespace {
struct FleetOptions {
  ReportOptions report;
  std::string db;
  std::vector<std::filesystem::path> folders;
  std::string device_id;
  std::optional<std::string> since, as_of;
  int stale_days = 8;
  bool strict = false;
  std::uint64_t max_report_size = fleet::kDefaultMaxReportSize;
};

// YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; a date alone means its first second.
std::chrono::system_clock::time_point time_option(const std::string& value, const char* option) {
  const auto t = parse_iso8601(value);
  if (!t) throw UsageError(std::string(option) + " " + value + ": give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  return *t;
}

struct Times {
  std::string as_of, stale_before, since;
};

// The view's clock: --as-of (default now); stale = no report in --stale-days; since = --since (default
// a week before as-of).
Times times_of(const FleetOptions& o) {
  if (o.stale_days < 1) throw UsageError("--stale-days must be at least 1");
  Times t;
  const auto now = o.as_of ? time_option(*o.as_of, "--as-of") : std::chrono::system_clock::now();
  t.as_of = iso8601(now);
  t.stale_before = iso8601(now - std::chrono::days(o.stale_days));
  t.since = iso8601(o.since ? time_option(*o.since, "--since") : now - std::chrono::days(7)).substr(0, 10);
  return t;
}

fleet::FleetStore open_store(const AppContext& context, const FleetOptions& o) {
  return fleet::FleetStore(fleet::open_database(o.db, o.db.empty() ? context.state_dir() / "fleet.db" : ""));
}

ExitCode run_ingest(const GlobalOptions& globals, const FleetOptions& o) {
  AppContext context(globals);
  auto store = open_store(context, o);
  // PostgreSQL: a second connection stores other machines' reports while the first waits for the
  // server (one backend did all the server's work, and half of an ingest was waiting). SQLite has one
  // writer at a time.
  std::vector<fleet::FleetStore*> stores{&store};
  std::optional<fleet::FleetStore> second;
  if (store.connection().dialect() == fleet::Dialect::postgresql)
    stores.push_back(&second.emplace(open_store(context, o)));
  ProgressBar bar("ingesting", "reports");
  const auto summary = fleet::ingest_folders(
      stores, o.folders, [&](std::size_t done, std::size_t total) { bar.update(done, total); }, {o.max_report_size});
  bar.finish();
  for (const auto& [path, what] : summary.bad) spdlog::warn("skipped {}: {}", path, what);
  std::printf("%zu report files in %s: %zu added, %zu already stored, %zu unchanged since the last ingest, %zu bad\n",
              summary.files, text::escape_control(store.connection().name()).c_str(), summary.added, summary.already,
              summary.unchanged, summary.bad.size());
  return !summary.bad.empty() && o.strict ? ExitCode::error : ExitCode::ok;
}

ExitCode write_view(const GlobalOptions& globals, const FleetOptions& o, render::FleetView view) {
  const auto format = o.report.chosen_format();
  write_report(o.report, format == "json"  ? render::fleet_view_json(view)
                         : format == "csv" ? render::fleet_view_csv(view)
                                           : render::fleet_view_table(view, table_layout(globals, o.report)));
  return ExitCode::ok;
}

ExitCode run_view(const GlobalOptions& globals, const FleetOptions& o, const std::string& name) {
  o.report.chosen_format();
  const auto t = times_of(o);
  AppContext context(globals);
  auto store = open_store(context, o);
  auto& c = store.connection();
  render::FleetView view{name, t.as_of, {}};
  if (name == "machines") view.table = fleet::machines_view(c, t.stale_before);
  if (name == "updates") view.table = fleet::updates_view(c);
  if (name == "versions") view.table = fleet::versions_view(c, o.device_id);
  if (name == "regressions") view.table = fleet::regressions_view(c, t.since);
  if (name == "diff") view.table = fleet::diff_view(c, t.since);
  return write_view(globals, o, std::move(view));
}

ExitCode run_report(const GlobalOptions& globals, const FleetOptions& o) {
  const auto format = o.report.chosen_format();
  const auto t = times_of(o);
  AppContext context(globals);
  auto store = open_store(context, o);
  auto& c = store.connection();
  render::FleetReport r{t.as_of,
                        t.since,
                        c.name(),
                        fleet::totals_view(c, t.stale_before),
                        fleet::machines_view(c, t.stale_before),
                        fleet::updates_view(c),
                        fleet::regressions_view(c, t.since)};
  write_report(o.report, format == "json"   ? render::fleet_report_json(r)
                         : format == "csv"  ? render::fleet_report_csv(r)
                         : format == "html" ? render::fleet_report_html(r)
                                            : render::fleet_report_table(r, table_layout(globals, o.report)));
  return ExitCode::ok;
}

void add_db(CLI::App& cmd, FleetOptions& o) {
  cmd.add_option("--db", o.db,
                 "The fleet database: postgresql://USER@HOST/DB (libpq rules: PGPASSWORD, ~/.pgpass, sslmode) or "
                 "sqlite:FILE (default: fleet.db in the state folder)")
      ->type_name("URL");
}

void add_clock(CLI::App& cmd, FleetOptions& o, bool since) {
  cmd.add_option("--as-of", o.as_of, "Answer as of this time (YYYY-MM-DD[THH:MM:SSZ]; default: now)")
      ->type_name("TIME");
  cmd.add_option("--stale-days", o.stale_days, "A machine without a report for this many days is stale (default 8)")
      ->type_name("N");
  if (since)
    cmd.add_option("--since", o.since, "Changes in reports recorded since DATE (default: a week before --as-of)")
        ->type_name("DATE");
}
}  // namespace

void add_fleet(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  CLI::App* fleet = app.add_subcommand("fleet", "Many machines' weekly reports in one database, and what they say");
  fleet->require_subcommand(1);
  fleet->footer(
      "Each machine's `schedule run --report-dir SHARE\\MACHINE` writes a report a week; `fleet ingest SHARE` stores\n"
      "them (again and again: only new reports are read). The views answer for each machine's newest report.");

  auto i = std::make_shared<FleetOptions>();
  CLI::App* ingest = fleet->add_subcommand("ingest", "Store every weekly report (*.json) below the folders");
  ingest->add_option("folders", i->folders, "Folders of reports, searched with their subfolders")
      ->type_name("DIR")
      ->required();
  add_db(*ingest, *i);
  ingest->add_flag("--strict", i->strict, "Exit 1 when a file was bad (it is skipped either way)");
  ingest
      ->add_option("--max-report-size", i->max_report_size,
                   "Refuse a report file larger than this many bytes (default 67108864, 64 MiB)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::uint64_t{1024}, std::uint64_t{1} << 32));
  ingest->callback([&globals, &exit_code, i] { exit_code = run_ingest(globals, *i); });

  auto r = std::make_shared<FleetOptions>();
  CLI::App* report = fleet->add_subcommand("report", "The fleet at a glance: totals, machines, updates, regressions");
  add_db(*report, *r);
  add_report_options(*report, r->report, {"table", "json", "csv", "html"});
  add_clock(*report, *r, true);
  report->callback([&globals, &exit_code, r] { exit_code = run_report(globals, *r); });

  struct View {
    const char* name;
    const char* help;
    bool since;
  };
  for (const View v : {View{"machines", "Every machine: last report, OS, verdict counts, stale", false},
                       View{"updates", "Per driver package: how many machines and devices would take it", false},
                       View{"versions", "The installed driver versions of one hardware ID across the fleet", false},
                       View{"regressions", "Downgraded drivers and new problem codes since a date (a week)", true},
                       View{"diff", "Every change the machines reported since a date (a week)", true}}) {
    auto o = std::make_shared<FleetOptions>();
    CLI::App* cmd = fleet->add_subcommand(v.name, v.help);
    if (std::string(v.name) == "versions")
      cmd->add_option("device_id", o->device_id, "A hardware ID, e.g. PCI\\VEN_8086&DEV_A0F0 (any case)")
          ->type_name("DEVICE-ID")
          ->required();
    add_db(*cmd, *o);
    add_report_options(*cmd, o->report, {"table", "json", "csv"});
    add_clock(*cmd, *o, v.since);
    const std::string name = v.name;
    cmd->callback([&globals, &exit_code, o, name] { exit_code = run_view(globals, *o, name); });
  }
}

}  // namespace drvaudit::commands
