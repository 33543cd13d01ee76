#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "scanner/snapshot.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/inventory_render.hpp"

namespace drvaudit::commands {

namespace {
struct ScanOptions {
  ReportOptions report;
  std::optional<std::filesystem::path> save_snapshot;
};

ExitCode run_scan(const GlobalOptions& globals, const ScanOptions& options) {
  const std::string format = options.report.chosen_format();
  AppContext context(globals);
  const auto inventories = context.inventories();
  if (options.save_snapshot) {
    if (inventories.size() != 1) throw UsageError("--save-snapshot saves one machine: give one --snapshot");
    snapshot::save(*options.save_snapshot, inventories.front());
    spdlog::info("snapshot of {} devices saved to {}", inventories.front().devices.size(),
                 options.save_snapshot->string());
  }
  std::string text;
  if (format == "json") {
    text = render::inventory_json(inventories);
  } else if (format == "csv") {
    text = render::inventory_csv(inventories, false);
  } else {
    text = render::inventory_table(inventories, table_layout(globals, options.report));
  }
  write_report(options.report, text);
  return ExitCode::ok;
}
}  // namespace

void add_scan(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* scan = app.add_subcommand("scan", "List every device with its hardware IDs and installed driver");
  add_report_options(*scan, options->report, {"table", "json", "csv"});
  scan->add_option("--save-snapshot", options->save_snapshot,
                   "Also save the scan as a snapshot FILE (JSON) for later replay")
      ->type_name("FILE");
  scan->callback([&globals, &exit_code, options] { exit_code = run_scan(globals, *options); });
}

}  // namespace drvaudit::commands
