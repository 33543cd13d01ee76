#include <spdlog/spdlog.h>

#include "catalog/explain.hpp"
#include "catalog/machine_audit.hpp"
#include "common/error.hpp"
#include "common/terminal.hpp"
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
  std::optional<std::string> target_os, arch, product_type;
  bool excel = false;
};

ExitCode run_audit(const GlobalOptions& globals, const AuditOptions& options) {
  AppContext context(globals);
  const Inventory inventory = context.device_source()->scan();
  audit::MachineAuditOptions request;
  request.catalog_file = context.catalog_file();
  request.live_machine = !globals.snapshot && !globals.sysfs_root;
  request.modules_alias = options.modules_alias;
  request.target_os = options.target_os;
  request.arch = options.arch;
  request.product_type = options.product_type;
  request.categories = options.categories;
  const auto report = audit::run_machine_audit(inventory, request);
  for (const auto& w : report.warnings) spdlog::warn("{}", w);

  std::string text_out;
  std::vector<const audit::DeviceAudit*> shown;
  if (!options.explain.empty()) {
    for (const auto& what : options.explain) {
      for (const auto& a : report.devices) {
        if (!audit::device_matches(a.device, what)) continue;
        text_out += (shown.empty() ? "" : "\n") + audit::explain(a);
        shown.push_back(&a);
      }
    }
    if (shown.empty())
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

  if (shown.empty()) {
    for (const auto& a : report.devices) shown.push_back(&a);
  }
  for (const auto* a : shown) {
    if (audit::is_actionable(a->verdict)) return ExitCode::updates_available;
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
  cmd->add_option("--target-os", options->target_os,
                  "Audit for this Windows version (MAJOR.MINOR[.BUILD]) instead of the machine's own");
  cmd->add_option("--arch", options->arch, "Audit for this architecture (x86, amd64/x64, arm64, …)");
  cmd->add_option("--product-type", options->product_type, "Audit for workstation, server or domain-controller");
  cmd->footer(
      "Verdicts: up_to_date, update_available, better_match, possible_update, missing_driver, no_catalog_data.\n"
      "Exit code 10 when an update, a better match or a missing driver was found (possible_update is not proven).");
  cmd->callback([&globals, &exit_code, options] { exit_code = run_audit(globals, *options); });
}

}  // namespace drvaudit::commands
