#include <spdlog/spdlog.h>

#include "catalog/audit.hpp"
#include "catalog/default_catalog.hpp"
#include "catalog/explain.hpp"
#include "catalog/inf_folder_indexer.hpp"
#include "common/error.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/audit_render.hpp"

namespace drvaudit::commands {

namespace {
struct AuditOptions {
  std::string format = "table";
  std::optional<std::filesystem::path> output;
  std::vector<std::string> explain;
  std::vector<std::string> categories;
  std::optional<std::filesystem::path> modules_alias;
  bool excel = false;
};

bool selects(const Device& d, const std::string& what) {
  if (text::iequals(d.instance_id, what)) return true;
  for (const auto& id : d.hardware_ids) {
    if (text::iequals(id, what)) return true;
  }
  const auto needle = text::to_upper(what);
  return text::to_upper(d.instance_id).find(needle) != std::string::npos ||
         text::to_upper(d.description).find(needle) != std::string::npos;
}

ExitCode run_audit(const GlobalOptions& globals, const AuditOptions& options) {
  AppContext context(globals);
  const Inventory inventory = context.device_source()->scan();
  if (!globals.snapshot) {
    // This machine's own driver store is a catalog source (Windows); indexing is incremental, so
    // after the first audit it costs a directory walk.
    const auto folders = catalog::default_inf_folders();
    if (!folders.empty()) {
      catalog::Store writable(context.catalog_file(), catalog::Store::Mode::read_write);
      catalog::IndexOptions index_options;
      index_options.target = catalog::default_target();
      for (const auto& folder : folders) {
        const auto report = catalog::index_folder(writable, folder, index_options);
        spdlog::info("driver store {}: {} packages added or updated, {} unchanged", folder.string(),
                     report.added + report.updated, report.unchanged);
      }
    }
  }
  const catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  if (store.empty()) spdlog::warn("the catalog is empty: index driver folders with `drvaudit catalog index DIR`");

  const std::string platform = inventory.machine.os.empty() ? "windows" : inventory.machine.os;
  std::optional<catalog::ModuleAliases> modules;
  if (platform == "linux") {
    auto file = options.modules_alias;
    if (!file && !globals.snapshot && !globals.sysfs_root) file = catalog::default_modules_alias_file();
    if (file) {
      modules = catalog::ModuleAliases::load(*file);
      spdlog::info("kernel modules: {} aliases from {}", modules->size(), file->string());
    } else {
      spdlog::info(
          "kernel modules: no modules.alias for this kernel; unbound devices are checked against the catalog only");
    }
  }

  const audit::Auditor auditor(store, modules ? &*modules : nullptr, platform);
  render::AuditReport report;
  report.machine = inventory.machine;
  const auto target = store.target();
  report.target = target ? target->to_string() : inf::TargetOs{}.to_string();
  for (const auto& device : inventory.devices) {
    if (!options.categories.empty()) {
      bool wanted = false;
      for (const auto& c : options.categories) wanted = wanted || text::iequals(c, device.class_name);
      if (!wanted) continue;
    }
    report.devices.push_back(auditor.audit(device));
  }

  std::string text_out;
  if (!options.explain.empty()) {
    std::size_t shown = 0;
    for (const auto& what : options.explain) {
      for (const auto& a : report.devices) {
        if (!selects(a.device, what)) continue;
        text_out += (shown++ ? "\n" : "") + audit::explain(a);
      }
    }
    if (!shown)
      throw UsageError("--explain: no device matches '" + options.explain.front() +
                       "' (give an instance ID, a hardware ID or part of a name)");
  } else if (options.format == "json") {
    text_out = render::audit_json(report);
  } else if (options.format == "csv") {
    text_out = render::audit_csv(report, options.excel);
  } else {
    text_out = render::audit_table(report, options.output ? 120 : terminal::width(stdout, 80));
  }
  write_output(options.output, text_out);

  for (const auto& a : report.devices) {
    if (audit::is_actionable(a.verdict)) return ExitCode::updates_available;
  }
  return ExitCode::ok;
}
}  // namespace

void add_audit(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* cmd =
      app.add_subcommand("audit", "Compare every device's driver with the catalog and explain the verdicts");
  cmd->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", options->output, "Write the result to FILE instead of standard output");
  cmd->add_option("--explain", options->explain,
                  "Explain the verdict for DEVICE (instance ID, hardware ID or part of its name)");
  cmd->add_option("--category", options->categories,
                  "Only devices of this setup class (Display, Net, MEDIA, …); repeatable");
  cmd->add_option("--modules-alias", options->modules_alias,
                  "Linux: the modules.alias to use (default: the running kernel's)");
  cmd->add_flag("--excel", options->excel, "With --format csv: start with a UTF-8 byte order mark for Excel");
  cmd->footer(
      "Verdicts: up_to_date, update_available, better_match, missing_driver, no_catalog_data.\n"
      "Exit code 10 when an update, a better match or a missing driver was found.");
  cmd->callback([&globals, &exit_code, options] { exit_code = run_audit(globals, *options); });
}

}  // namespace drvaudit::commands
