#include <windows.h>

#include <algorithm>

#include "common/bounded_read.hpp"
#include "common/error.hpp"
#include "common/windows/handles.hpp"
#include "common/windows/wide.hpp"

namespace drvaudit {

std::string read_bounded_file(const std::filesystem::path& file, const ReadBounds& bounds) {
  const std::string name = file.string();
  auto in = win::owned_file(CreateFileW(file.wstring().c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                                        FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN, nullptr));
  if (!in) throw Error("cannot read " + name + ": " + win::error_message(GetLastError()));
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(in.get(), &info))
    throw Error("cannot read " + name + ": " + win::error_message(GetLastError()));
  if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
    throw Error(name + " is a symbolic link or junction: reports are read only from regular files");
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || GetFileType(in.get()) != FILE_TYPE_DISK)
    throw Error(name + " is not a regular file");
  const std::uint64_t size = (std::uint64_t{info.nFileSizeHigh} << 32) | info.nFileSizeLow;
  return read_within_bounds(name, size, bounds, [&](char* buffer, std::size_t n) {
    DWORD got = 0;
    if (!ReadFile(in.get(), buffer, static_cast<DWORD>(std::min<std::size_t>(n, 1 << 24)), &got, nullptr))
      throw Error("cannot read " + name + ": " + win::error_message(GetLastError()));
    return static_cast<std::size_t>(got);
  });
}

}  // namespace drvaudit
