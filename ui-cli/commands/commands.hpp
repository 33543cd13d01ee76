#pragma once

#include <CLI/CLI.hpp>

#include "ui-cli/app_context.hpp"
#include "ui-cli/exit_code.hpp"

// Each command adds its subcommand to the app; its callback runs the command and records the exit code.
namespace drvaudit::commands {

void add_scan(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
void add_export(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
void add_catalog(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
void add_audit(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
// update, rollback and journal.
void add_update(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
// schedule install|remove|status|run: the weekly audit.
void add_schedule(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
// history list|show|diff: the stored audits.
void add_history(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
// fleet ingest|report|machines|updates|versions|regressions|diff: many machines' reports.
void add_fleet(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
// repair diagnose|windows-update|undo|history: the Windows Update repair.
void add_repair(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code);
// catalog list and catalog problems, under the catalog command.
void add_catalog_views(CLI::App& catalog, const GlobalOptions& globals, ExitCode& exit_code);

}  // namespace drvaudit::commands
