#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/inventory_render.hpp"

namespace drvaudit::commands {

namespace {
struct ExportOptions {
  ReportOptions report;  // -o FILE with --format csv|json
  std::optional<std::filesystem::path> csv;
  std::optional<std::filesystem::path> json_file;
  bool excel = false;
};

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
  if (targets.empty()) throw UsageError("export needs -o FILE (with --format csv or json), --csv FILE or --json FILE");
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
  return ExitCode::ok;
}
}  // namespace

void add_export(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand("export", "Write the driver inventory as CSV or JSON");
  cmd->add_option("-o,--output", options->report.output, "Write the inventory to FILE (- is standard output)")
      ->type_name("FILE");
  cmd->add_option("--format", options->report.format, "Format of -o FILE: csv or json (any case)")
      ->type_name("FORMAT")
      ->transform(CLI::IsMember({"csv", "json"}, CLI::ignore_case))
      ->default_val("csv");
  cmd->add_option("--csv", options->csv, "Write the inventory as CSV (RFC 4180) to FILE")->type_name("FILE");
  cmd->add_option("--json", options->json_file, "Write the inventory as JSON (the snapshot format) to FILE")
      ->type_name("FILE");
  cmd->add_flag("--excel", options->excel, "Start the CSV with a UTF-8 byte order mark so Excel reads it correctly");
  cmd->callback([&globals, &exit_code, options] { exit_code = run_export(globals, *options); });
}

}  // namespace drvaudit::commands
