#include <windows.h>

#include "common/file_stamp.hpp"
#include "common/windows/filetime.hpp"

namespace drvaudit {

std::optional<FileStamp> file_stamp(const std::filesystem::path& file) {
  WIN32_FILE_ATTRIBUTE_DATA data{};
  if (!GetFileAttributesExW(file.c_str(), GetFileExInfoStandard, &data)) return std::nullopt;
  const auto size = (static_cast<std::int64_t>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
  const auto ticks =
      (static_cast<std::int64_t>(data.ftLastWriteTime.dwHighDateTime) << 32) | data.ftLastWriteTime.dwLowDateTime;
  return FileStamp{size, win::filetime_to_unix_ns(ticks)};
}

}  // namespace drvaudit
