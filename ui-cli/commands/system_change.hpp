#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/lock_file.hpp"
#include "ui-cli/app_context.hpp"

// What every command that changes the system shares (update, rollback, schedule install/remove):
// one journal, one lock, the administrator check up front and the confirmation.
namespace drvaudit::commands {

std::filesystem::path journal_file(const AppContext& context);
// Whether there is a journal to read: anything at its name counts (a link, even a dangling one, or
// a damaged file), so that opening it says what is wrong instead of "drvaudit has changed nothing".
bool journal_present(const AppContext& context);

// One system-changing drvaudit at a time.
std::unique_ptr<LockFile> take_updater_lock(const AppContext& context);

// Throws needs_admin unless this process is elevated; `root` (a recorded machine or a folder of the
// user's own) needs no rights. `what` names the command, `changes` what it changes ("drivers").
void require_administrator(const std::optional<std::filesystem::path>& root, const std::string& what,
                           const std::string& changes = "drivers");

// Asks on the terminal; without one, --yes is the only way to say yes.
void confirm(const std::string& question, bool yes);

}  // namespace drvaudit::commands
