#include "ui-cli/commands/system_change.hpp"

#include <cstdio>
#include <iostream>

#include "common/error.hpp"
#include "common/privileges.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"

namespace drvaudit::commands {

std::filesystem::path journal_file(const AppContext& context) { return context.state_dir() / "journal.db"; }

bool journal_present(const AppContext& context) {
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(journal_file(context), ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw Error("cannot read the journal " + journal_file(context).string() + ": " + ec.message());
  return std::filesystem::exists(st);
}

std::unique_ptr<LockFile> take_updater_lock(const AppContext& context) {
  return std::make_unique<LockFile>(context.state_dir() / "updater.lock",
                                    "the updater (update, rollback, repair, schedule)", std::chrono::milliseconds(0));
}

void require_administrator(const std::optional<std::filesystem::path>& root, const std::string& what,
                           const std::string& changes) {
  if (root) return;  // a recorded machine in a folder is the user's own files
  if (!is_administrator())
    throw Error(what + " changes " + changes + ": run it as administrator (an elevated prompt; root on Linux)",
                ErrorKind::needs_admin);
}

void confirm(const std::string& question, bool yes) {
  if (yes) return;
  std::fflush(stdout);  // the plan, printed before, comes before the question
  if (!terminal::is_terminal(stdin))
    throw UsageError(question + " — there is no terminal to ask on: add --yes to go ahead (or --dry-run to look)");
  std::fprintf(stderr, "%s [y/N] ", question.c_str());
  std::fflush(stderr);
  std::string answer;
  std::getline(std::cin, answer);
  answer = text::to_lower(text::trim(answer));
  if (answer != "y" && answer != "yes") throw Error("nothing was changed: not confirmed", ErrorKind::declined);
}

}  // namespace drvaudit::commands
