#include <windows.h>

#include <vector>

#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/package_file.hpp"
#include "common/package_path.hpp"
#include "common/text.hpp"
#include "common/windows/handles.hpp"
#include "common/windows/wide.hpp"

namespace drvaudit::package_file {

namespace {
// Opens one part without following a reparse point (symbolic link, junction, mount point), and
// without FILE_SHARE_DELETE: while drvaudit holds a folder of the path, nobody can rename or
// replace it, so the path it checked is the path it reads.
win::FileHandle open_part(const std::wstring& path, bool folder) {
  const DWORD access = folder ? FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES : GENERIC_READ;
  return win::owned_file(CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING,
                                     FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
}
}  // namespace

std::optional<Copied> copy_out(const std::filesystem::path& folder, const std::string& relative,
                               const std::filesystem::path& to, std::int64_t max_bytes) {
  const std::string clean = package_path::checked(relative, "package file");
  const std::string shown = (folder / std::filesystem::u8path(clean)).string();
  std::vector<win::FileHandle> held;
  std::wstring at = folder.wstring();
  auto root = open_part(at, true);
  if (!root) {
    const auto code = GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) return std::nullopt;
    throw Error("cannot open the package folder " + folder.string() + ": " + win::error_message(code));
  }
  held.push_back(std::move(root));
  const auto parts = text::split(clean, '/');
  std::string spelled;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    at += L"\\" + win::widen(parts[i]);
    // The name as the folder spells it (Windows matches it case-insensitively).
    WIN32_FIND_DATAW found{};
    if (HANDLE f = FindFirstFileW(at.c_str(), &found); f != INVALID_HANDLE_VALUE) {
      FindClose(f);
      spelled += (spelled.empty() ? "" : "/") + win::narrow(found.cFileName);
    } else {
      spelled += (spelled.empty() ? "" : "/") + std::string(parts[i]);
    }
    auto h = open_part(at, !last);
    if (!h) {
      const auto code = GetLastError();
      if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) return std::nullopt;
      throw Error(shown + ": cannot open " + std::string(parts[i]) + ": " + win::error_message(code));
    }
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(h.get(), &info))
      throw Error(shown + ": cannot read " + std::string(parts[i]) + ": " + win::error_message(GetLastError()));
    if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
      throw Error(shown + ": " + std::string(parts[i]) +
                  " is a symbolic link or junction; a package is read without following links");
    const bool is_folder = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    if (!last && !is_folder) throw Error(shown + ": " + std::string(parts[i]) + " is not a folder");
    if (last && (is_folder || GetFileType(h.get()) != FILE_TYPE_DISK))
      throw Error(shown + ": " + std::string(parts[i]) + " is not a regular file");
    if (last && info.nNumberOfLinks > 1)
      throw Error(shown + ": " + std::string(parts[i]) +
                  " has other hard links; a package file must be the folder's own");
    held.push_back(std::move(h));
  }
  HANDLE in = held.back().get();
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(in, &size)) throw Error("cannot read " + shown + ": " + win::error_message(GetLastError()));
  if (size.QuadPart > max_bytes) throw Error(shown + " is larger than " + std::to_string(max_bytes) + " bytes");
  auto out = win::owned_file(CreateFileW(to.wstring().c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
  if (!out) throw Error("cannot create " + to.string() + ": " + win::error_message(GetLastError()));
  hash::Sha256 sha;
  Copied copied{spelled, 0, {}};
  std::vector<char> buffer(1 << 16);
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(in, buffer.data(), static_cast<DWORD>(buffer.size()), &got, nullptr))
      throw Error("cannot read " + shown + ": " + win::error_message(GetLastError()));
    if (got == 0) break;
    copied.size += got;
    if (copied.size > max_bytes)
      throw Error(shown + " grew beyond " + std::to_string(max_bytes) + " bytes while it was read");
    sha.update({buffer.data(), got});
    DWORD written = 0;
    if (!WriteFile(out.get(), buffer.data(), got, &written, nullptr) || written != got)
      throw Error("cannot write " + to.string() + ": " + win::error_message(GetLastError()));
  }
  copied.sha256 = sha.hex();
  return copied;
}

}  // namespace drvaudit::package_file
