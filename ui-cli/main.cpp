#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "common/error.hpp"
#include "common/logging.hpp"
#include "common/text.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/console.hpp"

namespace {

constexpr const char* kExitCodes = R"(Exit codes:
  0   done, nothing to do          4   needs administrator rights
  1   error                        5   busy (another drvaudit is running)
  2   usage error                 10   updates available (audit)
  3   unsupported on this system  20   reboot required)";

int run(int argc, char** argv) {
  using drvaudit::ExitCode;
  CLI::App app{"drvaudit: audits the drivers of this machine and updates them safely"};
  app.set_version_flag("--version", std::string("drvaudit ") + DRVAUDIT_VERSION);
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the command name too

  drvaudit::GlobalOptions globals;
  app.add_flag("-v,--verbose", globals.verbosity, "More log output on the console (-vv for debug)");
  app.add_option("--log-file", globals.log_file, "Log file (default: logs/drvaudit.log in the state folder)");
  app.add_option("--state-dir", globals.state_dir, "Folder for the catalog, history and logs (or DRVAUDIT_STATE_DIR)");
  app.add_option("--snapshot", globals.snapshot, "Use the devices recorded in snapshot FILE instead of this machine");
  app.add_option("--sysfs-root", globals.sysfs_root,
                 "Linux: read devices from a recorded sysfs tree DIR instead of /sys");
  app.add_flag("--all-devices", globals.all_devices, "Windows: include devices that are not present now");

  ExitCode exit_code = ExitCode::ok;
  drvaudit::commands::add_scan(app, globals, exit_code);
  drvaudit::commands::add_export(app, globals, exit_code);
  drvaudit::commands::add_audit(app, globals, exit_code);
  drvaudit::commands::add_catalog(app, globals, exit_code);

  drvaudit::console::setup();
  // UTF-8 arguments (on Windows from the wide command line); CLI11 takes them as an argv array.
  const auto arguments = drvaudit::console::arguments(argc, argv);
  std::vector<char*> utf8_argv;
  for (const auto& a : arguments) utf8_argv.push_back(const_cast<char*>(a.c_str()));
  try {
    app.parse(static_cast<int>(utf8_argv.size()), utf8_argv.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, the version, or the parse error
    return code == 0 ? 0 : drvaudit::to_int(ExitCode::usage);
  } catch (const drvaudit::Error& e) {
    // Messages quote INFs, snapshots, feeds and paths: escaped, like every text output.
    std::fprintf(stderr, "drvaudit: %s\n", drvaudit::text::escape_control(e.what()).c_str());
    drvaudit::logging::error_to_file(e.what());
    return drvaudit::to_int(drvaudit::exit_code_for(e.kind()));
  }
  return drvaudit::to_int(exit_code);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drvaudit: internal error: %s\n", drvaudit::text::escape_control(e.what()).c_str());
    return drvaudit::to_int(drvaudit::ExitCode::error);
  }
}
