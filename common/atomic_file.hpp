#pragma once

#include <filesystem>
#include <string_view>

// Files and folders drvaudit writes, made safely whatever the folder and the umask:
// the content goes to a new temporary file in the target's folder (created exclusively, never
// through a symbolic link, owner-only until it is complete), is flushed to disk and renamed over
// the target, so readers see the old file or the new one, never a partial one, and a link
// planted where the target or the temporary goes is never followed. The final mode is set
// explicitly, not left to the umask. Platform code: common/linux/atomic_file_posix.cpp,
// common/windows/atomic_file_windows.cpp (there the folder's access list applies; modes do not).
namespace drvaudit {

// The modes drvaudit gives what it writes (docs/security.md).
inline constexpr unsigned kModeSystemFile = 0644;  // unit files, cron.d, a -o report: readable, writable by the owner
inline constexpr unsigned kModeReport = 0640;      // weekly reports: the owner and its group (the share's readers)
inline constexpr unsigned kModePrivate = 0600;     // state: the owner alone
inline constexpr unsigned kModeFolder = 0755;      // folders under --root, report folders

// Throws drvaudit::Error saying why (the target is a symbolic link or not a regular file, the
// folder cannot be written, the disk is full).
void write_file_atomically(const std::filesystem::path& target, std::string_view content,
                           unsigned mode = kModeSystemFile);

// Creates `folder` and any missing parent with exactly `mode` (chmod after mkdir, so the umask
// does not widen or narrow it); folders that exist are left as they are. Throws drvaudit::Error.
void make_folders(const std::filesystem::path& folder, unsigned mode = kModeFolder);

}  // namespace drvaudit
