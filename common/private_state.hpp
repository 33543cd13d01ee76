#pragma once

#include <filesystem>

// drvaudit's state folder holds the catalog, the history, the journal and the log, and the updater
// acts on what it reads there as administrator/root. So the folder must be this user's alone: a
// folder another user can write to lets them plant a symbolic link (the log appended to a root-only
// file) or a database of their choosing. These checks make that impossible, and say why a folder
// is refused. Platform code: common/linux/private_state_posix.cpp, common/windows/private_state_windows.cpp.
namespace drvaudit::private_state {

enum class Access {
  user,         // the running user's alone (Linux: 0700/0600 owned by the user)
  machine_wide  // Windows %ProgramData%\drvaudit: Administrators and SYSTEM only
};

// Makes `folder` and any missing parent exist, created private whatever the umask. An existing
// folder is refused (drvaudit::Error, saying why) when it is a link to nothing, not a folder, owned
// by another user or writable by others. The parents that existed before are not judged: /tmp is
// world-writable and fine, because its sticky bit keeps others from replacing what is inside.
void prepare_folder(const std::filesystem::path& folder, Access access = Access::user);

// Opens (creating it when `create`, mode 0600) a file inside a prepared folder without following a
// symbolic link, and refuses one that is not a regular file, belongs to another user or has other
// hard links. Returns false when the file does not exist and `create` is false.
bool prepare_file(const std::filesystem::path& file, bool create);

}  // namespace drvaudit::private_state
