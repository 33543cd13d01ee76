#include <windows.h>
// After windows.h:
#include <aclapi.h>
#include <sddl.h>

#include <memory>
#include <string>

#include <spdlog/spdlog.h>
#include "common/error.hpp"
#include "common/private_state.hpp"

#include "common/windows/folder_acl.hpp"
#include "common/windows/wide.hpp"
#include "common/windows/wine.hpp"

namespace drvaudit::win {

bool acl_lets_others_write(const ACL* dacl) {
  if (!dacl) return true;
  constexpr DWORD kWrite = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES |
                           FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(const_cast<ACL*>(dacl), i, &ace)) continue;
    if (static_cast<const ACE_HEADER*>(ace)->AceType != ACCESS_ALLOWED_ACE_TYPE) continue;
    const auto* allowed = static_cast<const ACCESS_ALLOWED_ACE*>(ace);
    if ((allowed->Mask & kWrite) == 0) continue;
    PSID sid = const_cast<DWORD*>(&allowed->SidStart);
    if (IsWellKnownSid(sid, WinLocalSystemSid) || IsWellKnownSid(sid, WinBuiltinAdministratorsSid)) continue;
    return true;
  }
  return false;
}

}  // namespace drvaudit::win

namespace drvaudit::private_state {

namespace {
struct LocalFree_ {
  void operator()(void* p) const noexcept { LocalFree(p); }
};

std::string last_error_text() { return win::error_message(GetLastError()); }

bool is_reparse_point(DWORD attributes) { return (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0; }

// A link (symbolic link or junction) to a folder that exists is followed; one to nothing is refused.
void refuse_dangling_link(const std::filesystem::path& folder) {
  HANDLE h = CreateFileW(folder.wstring().c_str(), FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                         FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    throw Error("the state folder " + folder.string() + " is a link to a folder that cannot be opened (" +
                last_error_text() + "); create it or choose another with --state-dir");
  }
  CloseHandle(h);
}

// Under Wine a folder's access list is made up from its Unix permissions (the Unix user owns
// everything) and an access list set at creation is not kept: there is nothing of Windows to judge.
bool acl_is_synthesised() { return win::wine_version().has_value(); }

bool others_can_write(const std::filesystem::path& folder) {
  if (acl_is_synthesised()) return false;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetNamedSecurityInfoW(folder.wstring().c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                            &dacl, nullptr, &sd) != ERROR_SUCCESS)
    return false;  // no security information (FAT): nothing to judge
  std::unique_ptr<void, LocalFree_> owned(sd);
  return win::acl_lets_others_write(dacl);
}

void create_machine_wide(const std::filesystem::path& folder) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(win::kMachineWideSddl, SDDL_REVISION_1, &sd, nullptr))
    throw Error("cannot build the state folder's access list: " + last_error_text());
  std::unique_ptr<void, LocalFree_> owned(sd);
  SECURITY_ATTRIBUTES sa{sizeof sa, sd, FALSE};
  if (!CreateDirectoryW(folder.wstring().c_str(), &sa) && GetLastError() != ERROR_ALREADY_EXISTS)
    throw Error("cannot create the state folder " + folder.string() + ": " + last_error_text());
  if (acl_is_synthesised()) {
    spdlog::warn("{}: Wine does not keep access lists, so this folder is not restricted to Administrators and SYSTEM",
                 folder.string());
    return;
  }
  // Read back: a folder that did not get its access list is not the private folder it must be.
  if (others_can_write(folder))
    throw Error("the state folder " + folder.string() + " was created, but without its private access list");
}
}  // namespace

void prepare_folder(const std::filesystem::path& folder, Access access) {
  const DWORD attributes = GetFileAttributesW(folder.wstring().c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    const DWORD error = GetLastError();
    if (error != ERROR_FILE_NOT_FOUND && error != ERROR_PATH_NOT_FOUND)
      throw Error("cannot read the state folder " + folder.string() + ": " + win::error_message(error));
    std::error_code ec;
    if (folder.has_parent_path()) std::filesystem::create_directories(folder.parent_path(), ec);
    if (access == Access::machine_wide) {
      create_machine_wide(folder);
    } else if (!CreateDirectoryW(folder.wstring().c_str(), nullptr) && GetLastError() != ERROR_ALREADY_EXISTS) {
      throw Error("cannot create the state folder " + folder.string() + ": " + last_error_text());
    }
    return;
  }
  if (is_reparse_point(attributes)) refuse_dangling_link(folder);
  if ((attributes & FILE_ATTRIBUTE_DIRECTORY) == 0)
    throw Error("the state folder " + folder.string() + " is not a folder");
  if (access == Access::machine_wide && others_can_write(folder)) {
    throw Error("refusing the state folder " + folder.string() +
                ": users other than Administrators and SYSTEM can write to it, so they could plant files drvaudit "
                "would trust; remove it (drvaudit recreates it with a private access list) or choose another with "
                "--state-dir");
  }
}

bool prepare_file(const std::filesystem::path& file, bool create) {
  const DWORD attributes = GetFileAttributesW(file.wstring().c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    if (!create) return false;
    // FILE_FLAG_OPEN_REPARSE_POINT: should a link appear, it is opened itself, never its target.
    HANDLE h =
        CreateFileW(file.wstring().c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
    if (h == INVALID_HANDLE_VALUE) throw Error("cannot create " + file.string() + ": " + last_error_text());
    CloseHandle(h);
    return true;
  }
  if (is_reparse_point(attributes))
    throw Error("refusing " + file.string() +
                ": it is a link, and drvaudit never follows links inside its state folder");
  if (attributes & FILE_ATTRIBUTE_DIRECTORY) throw Error("refusing " + file.string() + ": it is not a regular file");
  return true;
}

}  // namespace drvaudit::private_state
