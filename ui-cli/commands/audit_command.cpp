#include <spdlog/spdlog.h>

#include <set>

#include "catalog/explain.hpp"
#include "catalog/history/history_store.hpp"
#include "catalog/machine_audit.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/audit_render.hpp"
#include "ui-cli/weekly_run.hpp"

namespace drvaudit::commands {

namespace {
struct AuditOptions {
  ReportOptions report;
  std::vector<std::string> explain;
  std::vector<std::string> categories;
  std::optional<std::filesystem::path> modules_alias;
  std::optional<std::string> target_os, arch, product_type;
  bool excel = false;
  bool strict = false;
  bool no_history = false;
  bool no_windows_update = false;
  int keep = history::kDefaultKeep;
};

// Options that would change nothing are refused before any work is done.
void check_combinations(const AuditOptions& options, const std::string& format) {
  if (options.excel && format != "csv") throw UsageError("--excel applies to CSV: add --format csv");
  if (!options.explain.empty() && format != "table")
    throw UsageError("--explain prints an explanation as text; --format " + format + " does not apply (drop one; the " +
                     format + " report has each device's reason)");
}

// A --category that names no device's class: a typo, or a class this machine does not have.
void check_categories(const std::vector<Inventory>& inventories, const std::vector<std::string>& categories) {
  if (categories.empty()) return;
  std::set<std::string> present;
  for (const auto& inv : inventories) {
    for (const auto& d : inv.devices) {
      if (!d.class_name.empty()) present.insert(d.class_name);
    }
  }
  std::string classes;
  for (const auto& c : present) classes += (classes.empty() ? "" : ", ") + c;
  std::vector<std::string> unknown;
  for (const auto& c : categories) {
    bool found = false;
    for (const auto& p : present) found = found || text::iequals(p, c);
    if (!found) unknown.push_back(c);
  }
  if (unknown.empty()) return;
  std::string names;
  for (const auto& u : unknown) names += (names.empty() ? "'" : ", '") + u + "'";
  const std::string message = "--category " + names + ": no device has that class (classes here: " +
                              (classes.empty() ? std::string("none") : classes) + ")";
  if (unknown.size() == categories.size()) throw UsageError(message);
  spdlog::warn("{}", message);
}

ExitCode run_audit(const GlobalOptions& globals, const AuditOptions& options) {
  const std::string format = options.report.chosen_format();
  check_combinations(options, format);
  AppContext context(globals);
  const auto inventories = context.inventories();
  check_categories(inventories, options.categories);
  if (options.modules_alias && !globals.snapshots.empty()) {
    bool any_linux = false;
    for (const auto& inv : inventories)
      any_linux = any_linux || audit::platform_of(inv.machine.os) == audit::Platform::linux;
    if (!any_linux) spdlog::warn("--modules-alias is ignored: no audited machine runs Linux");
  }
  audit::MachineAuditOptions request;
  request.catalog_file = context.catalog_file();
  request.live_machine = !globals.replays();
  request.windows_update = !options.no_windows_update;
  request.modules_alias = options.modules_alias;
  request.target_os = options.target_os;
  request.arch = options.arch;
  request.product_type = options.product_type;
  request.categories = options.categories;
  std::vector<audit::MachineAudit> reports;
  for (const auto& inventory : inventories) {
    reports.push_back(audit::run_machine_audit(inventory, request));
    for (const auto& w : reports.back().warnings) {
      if (inventories.size() > 1) {
        spdlog::warn("{}: {}", reports.back().machine.hostname, w);
      } else {
        spdlog::warn("{}", w);
      }
    }
  }

  // Only the devices the user asked about decide the exit code.
  std::vector<const audit::DeviceAudit*> decisive;
  std::string text_out;
  if (!options.explain.empty()) {
    for (const auto& what : options.explain) {
      for (const auto& report : reports) {
        for (const auto& a : report.devices) {
          if (!audit::device_matches(a.device, what)) continue;
          text_out += (decisive.empty() ? "" : "\n") + audit::explain(a);
          decisive.push_back(&a);
        }
      }
    }
    if (decisive.empty())
      throw UsageError("--explain: no device matches '" + options.explain.front() +
                       "' (give an instance ID, a hardware ID or part of a name)");
  } else {
    if (format == "json") {
      text_out = render::audit_json(reports);
    } else if (format == "csv") {
      text_out = render::audit_csv(reports, options.excel);
    } else {
      text_out = render::audit_table(reports, table_layout(globals, options.report));
    }
    for (const auto& r : reports) {
      for (const auto& a : r.devices) decisive.push_back(&a);
    }
  }
  write_report(options.report, text_out);
  // Every audit of this machine goes to the history (a snapshot is another machine's record).
  // A partial audit (some classes, another Windows) is not a record of the machine.
  const bool whole = options.categories.empty() && !options.target_os && !options.arch && !options.product_type;
  if (!globals.replays() && !options.no_history && whole) {
    for (const auto& r : reports) {
      const auto stored = weekly::store_audit(context, r, "audit", options.keep);
      spdlog::info("stored as history run {}", stored.id);
    }
  }

  bool unchecked = false;
  for (const auto& r : reports) unchecked = unchecked || !r.coverage.checked;
  if (unchecked && options.strict) return ExitCode::error;
  bool actionable = false, attention = false;
  for (const auto* a : decisive) {
    actionable = actionable || audit::is_actionable(a->verdict);
    attention = attention || audit::needs_attention(*a);
  }
  if (actionable) return ExitCode::updates_available;
  if (attention) return ExitCode::needs_attention;
  return ExitCode::ok;
}
}  // namespace

void add_audit(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* cmd =
      app.add_subcommand("audit", "Compare every device's driver with the catalog and explain the verdicts");
  add_report_options(*cmd, options->report, {"table", "json", "csv"});
  cmd->add_option("--explain", options->explain,
                  "Explain the verdict for DEVICE (instance ID, hardware ID or part of its name); repeatable")
      ->type_name("DEVICE");
  cmd->add_option("--category", options->categories,
                  "Only devices of this setup class (Display, Net, MEDIA, …); repeatable")
      ->type_name("CLASS");
  cmd->add_option("--modules-alias", options->modules_alias,
                  "Linux: the modules.alias FILE to use (default: the running kernel's)")
      ->type_name("FILE");
  cmd->add_flag("--excel", options->excel, "With --format csv: start with a UTF-8 byte order mark for Excel");
  cmd->add_flag("--strict", options->strict,
                "Exit 1 when the audit could check nothing (empty catalog, nothing for this Windows)");
  cmd->add_flag("--no-history", options->no_history, "Do not store this audit of this machine in the history");
  cmd->add_flag("--no-windows-update", options->no_windows_update,
                "Windows: do not ask Windows Update which drivers it offers (its search can take minutes)");
  cmd->add_option("--keep", options->keep, "Keep the newest N runs of this machine in the history (default 104)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--target-os", options->target_os,
                  "Audit for this Windows VERSION (MAJOR.MINOR[.BUILD]) instead of the machine's own")
      ->type_name("VERSION");
  cmd->add_option("--arch", options->arch, "Audit for this architecture (x86, amd64/x64/x86_64, arm, arm64)")
      ->type_name("ARCH");
  cmd->add_option("--product-type", options->product_type, "Audit for workstation, server or domain-controller")
      ->type_name("TYPE");
  cmd->footer(
      "Verdicts: up to date, update available, better match, possible update, missing driver, no catalog data;\n"
      "a device with a problem code (or no driver) that nothing fixes shows Device Manager's words and needs "
      "attention.\n"
      "Exit code 10 when an update, a better match or a missing driver was found (possible update is not proven),\n"
      "11 when devices need attention and no update was found, 1 with --strict when nothing could be checked.");
  cmd->callback([&globals, &exit_code, options] { exit_code = run_audit(globals, *options); });
}

}  // namespace drvaudit::commands
