#include <windows.h>

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
  if (size > bounds.max_bytes)
    throw Error(name + " is " + std::to_string(size) + " bytes, more than " + limit_text(bounds));
  const auto deadline = std::chrono::steady_clock::now() + bounds.deadline;
  std::string out(static_cast<std::size_t>(size) + 1, '\0');
  std::size_t have = 0;
  for (;;) {
    if (have == out.size()) {
      if (out.size() > bounds.max_bytes)
        throw Error(name + " grew beyond " + limit_text(bounds) + " while it was read");
      out.resize(std::min<std::size_t>(out.size() * 2, bounds.max_bytes + 1));
    }
    DWORD got = 0;
    const auto want = static_cast<DWORD>(std::min<std::size_t>(out.size() - have, 1 << 24));
    if (!ReadFile(in.get(), out.data() + have, want, &got, nullptr))
      throw Error("cannot read " + name + ": " + win::error_message(GetLastError()));
    if (got == 0) break;
    have += got;
    if (have > bounds.max_bytes) throw Error(name + " grew beyond " + limit_text(bounds) + " while it was read");
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(name + " could not be read within " + std::to_string(bounds.deadline.count() / 1000) + " s");
  }
  out.resize(have);
  return out;
}

}  // namespace drvaudit
