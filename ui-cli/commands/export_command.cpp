#include <spdlog/spdlog.h>

#include "catalog/history/history_store.hpp"
#include "catalog/machine_audit.hpp"
#include "common/error.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/html_report.hpp"
#include "ui-cli/render/inventory_render.hpp"

namespace drvaudit::commands {

namespace {
struct ExportOptions {
  ReportOptions report;  // -o FILE with --format csv|json
  std::optional<std::filesystem::path> csv;
  std::optional<std::filesystem::path> json_file;
  std::optional<std::filesystem::path> html;
  bool excel = false;
};

// The machine report: the audit, and what changed since the machine's last stored run.
std::string html_report(const GlobalOptions& globals, const AppContext& context,
                        const std::vector<Inventory>& inventories) {
  if (inventories.size() != 1) throw UsageError("--html writes one machine's report: give one --snapshot");
  audit::MachineAuditOptions request;
  request.catalog_file = context.catalog_file();
  request.live_machine = !globals.replays();
  const auto audit = audit::run_machine_audit(inventories.front(), request);
  for (const auto& w : audit.warnings) spdlog::warn("{}", w);
  render::HtmlReportContext html;
  const history::Store store(context.history_file());
  if (const auto last = store.latest(audit.machine.hostname)) {
    html.diff = history::diff_runs(*last, history::record_of(audit, "export"));
  }
  return render::html_report(audit, html);
}

ExitCode run_export(const GlobalOptions& globals, ExportOptions options) {
  // --csv FILE and --json FILE are the older spellings of -o FILE --format csv|json; both may be
  // given to write the two at once.
  std::vector<std::pair<std::string, std::filesystem::path>> targets;
  if (options.report.output) {
    const auto format = options.report.chosen_format();
    if (format == "csv" && options.csv) throw UsageError("-o and --csv both name the CSV file: give one");
    if (format == "json" && options.json_file) throw UsageError("-o and --json both name the JSON file: give one");
    targets.emplace_back(format, *options.report.output);
  }
  if (options.csv) targets.emplace_back("csv", *options.csv);
  if (options.json_file) targets.emplace_back("json", *options.json_file);
  if (targets.empty() && !options.html)
    throw UsageError("export needs -o FILE (with --format csv or json), --csv FILE, --json FILE or --html FILE");
  bool csv_written = false;
  for (const auto& t : targets) csv_written = csv_written || t.first == "csv";
  if (options.excel && !csv_written) throw UsageError("--excel applies to CSV: add --format csv or --csv FILE");

  AppContext context(globals);
  const auto inventories = context.inventories();
  std::size_t devices = 0;
  for (const auto& inv : inventories) devices += inv.devices.size();
  for (const auto& [format, file] : targets) {
    write_output(file, format == "csv" ? render::inventory_csv(inventories, options.excel)
                                       : render::inventory_json(inventories));
    if (file != "-") spdlog::info("inventory of {} devices written to {}", devices, file.string());
  }
  if (options.html) write_output(*options.html, html_report(globals, context, inventories));
  return ExitCode::ok;
}
}  // namespace

void add_export(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Write the driver inventory as CSV or JSON, or the audit as HTML");
  cmd->add_option("-o,--output", options->report.output, "Write the inventory to FILE (- is standard output)")
      ->type_name("FILE");
  cmd->add_option("--format", options->report.format, "Format of -o FILE: csv or json (any case)")
      ->type_name("FORMAT")
      ->transform(CLI::IsMember({"csv", "json"}, CLI::ignore_case))
      ->default_val("csv");
  cmd->add_option("--csv", options->csv, "Write the inventory as CSV (RFC 4180) to FILE")->type_name("FILE");
  cmd->add_option("--json", options->json_file, "Write the inventory as JSON (the snapshot format) to FILE")
      ->type_name("FILE");
  cmd->add_option(
         "--html", options->html,
         "Write the audit as a self-contained HTML report to FILE (with the changes since the last stored run)")
      ->type_name("FILE");
  cmd->add_flag("--excel", options->excel, "Start the CSV with a UTF-8 byte order mark so Excel reads it correctly");
  cmd->callback([&globals, &exit_code, options] { exit_code = run_export(globals, *options); });
}

}  // namespace drvaudit::commands
