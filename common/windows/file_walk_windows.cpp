#include <windows.h>

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/error.hpp"
#include "common/file_walk.hpp"
#include "common/windows/filetime.hpp"

namespace drvaudit {

namespace {
constexpr int kMaxDepth = 64;

class FindHandle {
 public:
  explicit FindHandle(HANDLE h) : h_(h) {}
  ~FindHandle() {
    if (h_ != INVALID_HANDLE_VALUE) FindClose(h_);
  }
  FindHandle(const FindHandle&) = delete;
  FindHandle& operator=(const FindHandle&) = delete;
  HANDLE get() const { return h_; }

 private:
  HANDLE h_;
};

void walk(const std::filesystem::path& dir, int depth, const std::function<bool(std::string_view)>& accept,
          std::vector<FileEntry>& out) {
  WIN32_FIND_DATAW data{};
  FindHandle find(FindFirstFileExW((dir / L"*").c_str(), FindExInfoBasic, &data, FindExSearchNameMatch, nullptr,
                                   FIND_FIRST_EX_LARGE_FETCH));
  if (find.get() == INVALID_HANDLE_VALUE) {
    if (depth == 0) throw Error("cannot read folder " + dir.string());
    spdlog::warn("skipping {}", dir.string());
    return;
  }
  do {
    const std::wstring name = data.cFileName;
    if (name == L"." || name == L"..") continue;
    if (data.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) continue;  // links and junctions are not followed
    const auto child = dir / name;
    if (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
      if (depth + 1 < kMaxDepth)
        walk(child, depth + 1, accept, out);
      else
        spdlog::warn("skipping {}: folders more than {} levels deep are not read", child.string(), kMaxDepth);
      continue;
    }
    const auto utf8_name = std::filesystem::path(name).u8string();
    if (!accept(std::string_view(reinterpret_cast<const char*>(utf8_name.data()), utf8_name.size()))) continue;
    const auto size = (static_cast<std::int64_t>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
    const auto ticks =
        (static_cast<std::int64_t>(data.ftLastWriteTime.dwHighDateTime) << 32) | data.ftLastWriteTime.dwLowDateTime;
    out.push_back({child.string(), {size, win::filetime_to_unix_ns(ticks)}});
  } while (FindNextFileW(find.get(), &data));
}
}  // namespace

std::vector<FileEntry> list_files(const std::filesystem::path& root,
                                  const std::function<bool(std::string_view)>& accept) {
  std::vector<FileEntry> out;
  walk(root, 0, accept, out);
  std::sort(out.begin(), out.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return out;
}

}  // namespace drvaudit
