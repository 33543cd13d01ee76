#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

// Reading a file out of a package folder someone else filled (a USB stick, a download, a stage
// folder on a share) without letting the folder redirect the read: every part of the path is
// opened relative to the part before it, none may be a symbolic link, a junction or another
// reparse point, and the file must be a regular one. The name must pass package_path::checked
// first. Platform code: common/linux/package_file_posix.cpp, common/windows/package_file_windows.cpp.
namespace drvaudit::package_file {

struct Copied {
  std::string relative;  // the path as the folder spells it ('/'-separated; parts are matched case-insensitively)
  std::int64_t size = 0;
  std::string sha256;  // of the bytes written to the copy
};

// Copies folder/relative to `to`, a new file (created exclusively, owner-only, never through a
// link; its folder must exist), hashing while it copies. nullopt when a part of the path does not
// exist; throws drvaudit::Error when a part is a link, not a folder or not a regular file, or on a
// read or write error. At most max_bytes are copied (a larger file is refused).
std::optional<Copied> copy_out(const std::filesystem::path& folder, const std::string& relative,
                               const std::filesystem::path& to, std::int64_t max_bytes = std::int64_t{1} << 36);

}  // namespace drvaudit::package_file
