#include <spdlog/spdlog.h>

#include "common/terminal.hpp"
#include "scanner/snapshot.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/inventory_render.hpp"

namespace drvaudit::commands {

namespace {
struct ScanOptions {
  std::string format = "table";
  std::optional<std::filesystem::path> output;
  std::optional<std::filesystem::path> save_snapshot;
};

ExitCode run_scan(const GlobalOptions& globals, const ScanOptions& options) {
  AppContext context(globals);
  const Inventory inventory = context.device_source()->scan();
  if (options.save_snapshot) {
    snapshot::save(*options.save_snapshot, inventory);
    spdlog::info("snapshot of {} devices saved to {}", inventory.devices.size(), options.save_snapshot->string());
  }
  std::string text;
  if (options.format == "json") {
    text = snapshot::serialize(inventory);
  } else if (options.format == "csv") {
    text = render::inventory_csv(inventory, false);
  } else {
    const int width = options.output ? 120 : terminal::width(stdout, 80);
    text = render::inventory_table(inventory, width);
  }
  write_output(options.output, text);
  return ExitCode::ok;
}
}  // namespace

void add_scan(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* scan = app.add_subcommand("scan", "List every device with its hardware IDs and installed driver");
  scan->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  scan->add_option("-o,--output", options->output, "Write the result to FILE instead of standard output");
  scan->add_option("--save-snapshot", options->save_snapshot,
                   "Also save the scan as a snapshot FILE (JSON) for later replay");
  scan->callback([&globals, &exit_code, options] { exit_code = run_scan(globals, *options); });
}

}  // namespace drvaudit::commands
