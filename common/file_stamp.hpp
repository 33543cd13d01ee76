#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace drvaudit {

// Size and modification time of a file in one system call (std::filesystem needs two).
struct FileStamp {
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;  // nanoseconds since the epoch; only compared for equality
};

// nullopt when the file cannot be examined (gone, no permission).
std::optional<FileStamp> file_stamp(const std::filesystem::path& file);

}  // namespace drvaudit
