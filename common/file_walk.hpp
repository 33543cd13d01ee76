#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_stamp.hpp"

namespace drvaudit {

struct FileEntry {
  std::string path;  // root / relative path, in the platform's form
  FileStamp stamp;
};

// Every regular file below root whose name passes accept, with its size and mtime, sorted by path.
// Symbolic links are not followed. Directories that cannot be read, or lie more than 64 levels
// deep, are skipped with a warning naming them; an
// unreadable root throws drvaudit::Error. Each platform walks the way that costs least: relative
// to the open directory on Linux, from the enumeration data itself on Windows.
std::vector<FileEntry> list_files(const std::filesystem::path& root,
                                  const std::function<bool(std::string_view name)>& accept);

}  // namespace drvaudit
