#include <windows.h>

#include <random>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/windows/handles.hpp"
#include "common/windows/wide.hpp"

namespace drvaudit {

void write_file_atomically(const std::filesystem::path& target, std::string_view content, unsigned) {
  namespace fs = std::filesystem;
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const auto refuse_link = [&](const char* when) {
    const DWORD attributes = GetFileAttributesW(target.wstring().c_str());
    if (attributes != INVALID_FILE_ATTRIBUTES &&
        (attributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY)) != 0)
      throw Error("cannot write " + target.string() + ": it " + when +
                  " a symbolic link, junction or folder, which drvaudit never replaces or follows");
  };
  refuse_link("is");
  std::random_device random;
  fs::path temp;
  win::FileHandle file;
  // CREATE_NEW: a name someone planted (a file or a link) is never opened, only skipped.
  for (int attempt = 0; attempt < 100 && !file; ++attempt) {
    temp = folder / ("." + target.filename().string() + ".tmp" + std::to_string(random()) + std::to_string(random()));
    file = win::owned_file(CreateFileW(temp.wstring().c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                                       FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    if (!file && GetLastError() != ERROR_FILE_EXISTS && GetLastError() != ERROR_ALREADY_EXISTS) break;
  }
  if (!file)
    throw Error("cannot write " + target.string() + ": cannot create a file in " + folder.string() + ": " +
                win::error_message(GetLastError()));
  const auto fail = [&](const std::string& why) {
    file.reset();
    DeleteFileW(temp.wstring().c_str());
    throw Error("cannot write " + target.string() + ": " + why);
  };
  for (std::string_view rest = content; !rest.empty();) {
    DWORD written = 0;
    const auto n = static_cast<DWORD>(std::min<std::size_t>(rest.size(), 1 << 30));
    if (!WriteFile(file.get(), rest.data(), n, &written, nullptr) || written == 0)
      fail("write failed: " + win::error_message(GetLastError()) + " (disk full?)");
    rest.remove_prefix(written);
  }
  if (!FlushFileBuffers(file.get())) fail("cannot flush it to disk: " + win::error_message(GetLastError()));
  file.reset();
  try {
    refuse_link("became");
  } catch (...) {
    DeleteFileW(temp.wstring().c_str());
    throw;
  }
  if (!MoveFileExW(temp.wstring().c_str(), target.wstring().c_str(),
                   MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    const auto why = win::error_message(GetLastError());
    DeleteFileW(temp.wstring().c_str());
    throw Error("cannot write " + target.string() + ": " + why);
  }
}

void make_folders(const std::filesystem::path& folder, unsigned) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw Error("cannot create " + folder.string() + ": " + ec.message());
}

}  // namespace drvaudit
