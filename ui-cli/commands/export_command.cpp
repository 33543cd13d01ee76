#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "scanner/snapshot.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/inventory_render.hpp"

namespace drvaudit::commands {

namespace {
struct ExportOptions {
  std::optional<std::filesystem::path> csv;
  std::optional<std::filesystem::path> json;
  bool excel = false;
};

ExitCode run_export(const GlobalOptions& globals, const ExportOptions& options) {
  if (!options.csv && !options.json) throw UsageError("export needs --csv FILE or --json FILE");
  if (options.excel && !options.csv) throw UsageError("--excel applies to --csv");
  AppContext context(globals);
  const Inventory inventory = context.device_source()->scan();
  if (options.csv) {
    write_output(options.csv, render::inventory_csv(inventory, options.excel));
    spdlog::info("inventory of {} devices written to {}", inventory.devices.size(), options.csv->string());
  }
  if (options.json) {
    write_output(options.json, snapshot::serialize(inventory));
    spdlog::info("inventory of {} devices written to {}", inventory.devices.size(), options.json->string());
  }
  return ExitCode::ok;
}
}  // namespace

void add_export(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Write the driver inventory as CSV or JSON");
  cmd->add_option("--csv", options->csv, "Write the inventory as CSV (RFC 4180) to FILE");
  cmd->add_flag("--excel", options->excel, "Start the CSV with a UTF-8 byte order mark so Excel reads it correctly");
  cmd->add_option("--json", options->json, "Write the inventory as JSON (the snapshot format) to FILE");
  cmd->callback([&globals, &exit_code, options] { exit_code = run_export(globals, *options); });
}

}  // namespace drvaudit::commands
