#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "common/error.hpp"
#include "common/logging.hpp"
#include "common/text.hpp"
#include "common/version.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/console.hpp"
#include "ui-cli/suggest.hpp"

namespace {

constexpr const char* kExitCodes = R"(Exit codes:
  0   done, nothing to do             5   busy (another drvaudit is running, or an
  1   error (audit --strict: nothing       interrupted update or repair to undo first)
      could be checked)              10   updates available (audit), or a regression
  2   usage error                          (schedule run, history diff)
                                      11   devices need attention, no update (audit);
                                           a problem found (repair diagnose)
                                      20   reboot required (update)
  3   unsupported on this system     130   interrupted (Ctrl-C); finished work is kept
  4   needs administrator rights)";

// Every command's help ends with the options that apply everywhere, so `drvaudit audit --help`
// shows --snapshot and --state-dir too.
void add_global_options_footer(CLI::App& app) {
  std::string text = "Global options (before or after the command):\n";
  for (const auto* o : app.get_options()) {
    if (!o->nonpositional() || o->get_name() == "--help" || o->get_name() == "--version") continue;
    std::string names = o->get_name(false, true);
    if (o->get_expected_min() > 0) {
      const std::string type = o->get_type_name();
      names += " " + type.substr(0, type.find(':'));  // without the validator's range or choices
    }
    text += "  " + names + std::string(names.size() < 26 ? 26 - names.size() : 1, ' ') + o->get_description() + "\n";
  }
  std::function<void(CLI::App&)> add = [&](CLI::App& cmd) {
    for (auto* sub : cmd.get_subcommands([](CLI::App*) { return true; })) {
      const std::string own = sub->get_footer();
      sub->footer(own.empty() ? text : own + "\n\n" + text);
      add(*sub);
    }
  };
  add(app);
}

// Usage lines name the whole command ("drvaudit catalog index"), not only its last word.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string) const override {
    std::string name = app->get_name();
    for (const CLI::App* a = app->get_parent(); a; a = a->get_parent()) name = a->get_name() + " " + name;
    return CLI::Formatter::make_usage(app, name);
  }
};

void add_help_command(CLI::App& app) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* help = app.add_subcommand("help", "Show the help of drvaudit or of one COMMAND");
  help->add_option("command", *words, "The command, e.g. audit or catalog index")->type_name("COMMAND");
  help->callback([&app, words] {
    if (auto unknown = drvaudit::suggest::unknown_word(app, *words)) throw drvaudit::UsageError(*unknown);
    const CLI::App* target = drvaudit::suggest::named_command(app, *words);
    // Not target->help(): that shows the help of the command being run, which is `help` itself.
    std::fputs(target->get_formatter()->make_help(target, target->get_name(), CLI::AppFormatMode::Normal).c_str(),
               stdout);
  });
}

int run(int argc, char** argv) {
  using drvaudit::ExitCode;
  CLI::App app{"drvaudit: audits the drivers of this machine and updates them safely", "drvaudit"};
  app.set_version_flag("--version", std::string("drvaudit ") + drvaudit::kToolVersion);
  app.footer(kExitCodes);
  app.formatter(std::make_shared<HelpFormatter>());
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the command name too

  drvaudit::GlobalOptions globals;
  app.add_flag("-v,--verbose", globals.verbosity, "More log output on the console (-vv for debug)");
  app.add_option("--log-file", globals.log_file, "Log FILE (default: logs/drvaudit.log in the state folder)")
      ->type_name("FILE");
  app.add_option("--state-dir", globals.state_dir, "Folder for the catalog, history and logs (or DRVAUDIT_STATE_DIR)")
      ->type_name("DIR");
  app.add_option("--snapshot", globals.snapshots,
                 "Use the devices recorded in snapshot FILEs (a DIR: every *.json in it) instead of this machine")
      ->type_name("FILE|DIR");
  app.add_option("--sysfs-root", globals.sysfs_root,
                 "Linux: read devices from a recorded sysfs tree DIR instead of /sys")
      ->type_name("DIR");
  app.add_flag("--all-devices", globals.all_devices, "Windows: include devices that are not present now");
  app.add_flag("--wide", globals.wide, "Tables: never cut a column, whatever the terminal's width");
  app.add_option("--width", globals.width, "Tables: fit COLUMNS columns (also in files and pipes)")
      ->type_name("COLUMNS")
      ->check(CLI::Range(20, 10000));
  app.add_option("--color", globals.color, "Colours: auto (a terminal without NO_COLOR), always or never")
      ->type_name("WHEN")
      ->transform(CLI::IsMember({"auto", "always", "never"}, CLI::ignore_case));

  ExitCode exit_code = ExitCode::ok;
  drvaudit::commands::add_scan(app, globals, exit_code);
  drvaudit::commands::add_export(app, globals, exit_code);
  drvaudit::commands::add_audit(app, globals, exit_code);
  drvaudit::commands::add_catalog(app, globals, exit_code);
  drvaudit::commands::add_update(app, globals, exit_code);
  drvaudit::commands::add_schedule(app, globals, exit_code);
  drvaudit::commands::add_history(app, globals, exit_code);
  drvaudit::commands::add_repair(app, globals, exit_code);
  drvaudit::commands::add_fleet(app, globals, exit_code);
  add_help_command(app);
  add_global_options_footer(app);

  drvaudit::console::setup();
  // UTF-8 arguments (on Windows from the wide command line); CLI11 takes them as an argv array.
  auto arguments = drvaudit::console::arguments(argc, argv);
  for (std::size_t i = 1; i < arguments.size(); ++i) {
    if (arguments[i] == "--") break;
    if (arguments[i] == "-?" || arguments[i] == "/?") arguments[i] = "--help";  // the DOS and Windows habit
  }
  std::vector<char*> utf8_argv;
  for (auto& a : arguments) utf8_argv.push_back(a.data());
  globals.command_line = "drvaudit";
  for (std::size_t i = 1; i < arguments.size(); ++i) globals.command_line += " " + arguments[i];
  try {
    app.parse(static_cast<int>(utf8_argv.size()), utf8_argv.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      // An unknown word gets the nearest known one; other mistakes get the parser's own message.
      const std::vector<std::string> words(arguments.begin() + 1, arguments.end());
      if (auto unknown = drvaudit::suggest::unknown_word(app, words)) {
        std::fprintf(stderr, "drvaudit: %s\n", drvaudit::text::escape_control(*unknown).c_str());
        return drvaudit::to_int(ExitCode::usage);
      }
    }
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
