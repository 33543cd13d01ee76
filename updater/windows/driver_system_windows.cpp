// clang-format off
#include <windows.h>
#include <objbase.h>
#include <setupapi.h>
// clang-format on

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/windows/com.hpp"
#include "common/windows/handles.hpp"
#include "common/windows/wide.hpp"
#include "common/windows/wine.hpp"
#include "scanner/windows/setupapi_source.hpp"
#include "updater/driver_system.hpp"

// Windows as the updater's system. Every API that changes something is loaded at run time
// (newdev.dll, srclient.dll), as MinGW lacks some and Wine aborts on others; none of Wine's stubs
// that abort (DiRollbackDriver, SRRemoveRestorePoint) is ever called.
namespace drvaudit::updater {

namespace {
constexpr DWORD kInstallFlagForce = 0x1;
constexpr DWORD kInstallFlagNonInteractive = 0x4;
constexpr DWORD kBeginSystemChange = 100;
constexpr DWORD kEndSystemChange = 101;
constexpr DWORD kDeviceDriverInstall = 10;
constexpr DWORD kCancelledOperation = 13;

#pragma pack(push, 1)
struct RestorePointInfoW {
  DWORD event_type;
  DWORD restore_point_type;
  INT64 sequence;
  WCHAR description[256];
};
struct StateManagerStatus {
  DWORD status;
  INT64 sequence;
};
#pragma pack(pop)

using UpdateDriverFn = BOOL(WINAPI*)(HWND, LPCWSTR, LPCWSTR, DWORD, PBOOL);
using SetRestorePointFn = BOOL(WINAPI*)(RestorePointInfoW*, StateManagerStatus*);

using win::Library;
using win::RegistryKey;

const wchar_t* kSystemRestoreKey = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SystemRestore";
const wchar_t* kFrequencyValue = L"SystemRestorePointCreationFrequency";

Library load_system_library(const wchar_t* name) {
  return Library(LoadLibraryExW(name, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32));
}

std::string code_text(DWORD code) { return win::code_text(code); }

class WindowsSystem : public DriverSystem {
 public:
  WindowsSystem() {
    // SRSetRestorePointW calls back into the process through COM as the service accounts.
    CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE,
                         nullptr, EOAC_DYNAMIC_CLOAKING, nullptr);
  }
  std::string name() const override { return win::wine_version() ? "Wine " + *win::wine_version() : "Windows"; }

  std::optional<DriverBinding> binding(const std::string& instance_id) override {
    for (const auto& d : SetupApiSource(true).scan().devices) {
      if (!text::iequals(d.instance_id, instance_id)) continue;
      return binding_of(d);
    }
    return std::nullopt;
  }

  InstallResult install(const std::string& hardware_id, const std::filesystem::path& inf, bool force) override {
    InstallResult result;
    auto newdev = load_system_library(L"newdev.dll");
    auto update = newdev ? reinterpret_cast<UpdateDriverFn>(reinterpret_cast<void*>(
                               GetProcAddress(newdev.get(), "UpdateDriverForPlugAndPlayDevicesW")))
                         : nullptr;
    if (!update) {
      result.message = "UpdateDriverForPlugAndPlayDevicesW is not available on this Windows";
      return result;
    }
    const auto id = win::widen(hardware_id);
    const auto path = std::filesystem::absolute(inf).wstring();
    BOOL reboot = FALSE;
    SetLastError(0);
    const BOOL ok = update(nullptr, id.c_str(), path.c_str(),
                           kInstallFlagNonInteractive | (force ? kInstallFlagForce : 0), &reboot);
    result.error = ok ? 0 : GetLastError();
    result.accepted = ok != FALSE;
    result.reboot_required = reboot != FALSE;
    result.message =
        ok ? std::string("UpdateDriverForPlugAndPlayDevicesW returned TRUE") + (reboot ? " (reboot required)" : "")
           : "UpdateDriverForPlugAndPlayDevicesW failed: " + code_text(result.error);
    return result;
  }

  std::filesystem::path inf_folder() override {
    wchar_t windir[MAX_PATH] = {};
    GetWindowsDirectoryW(windir, MAX_PATH);
    return std::filesystem::path(windir) / "INF";
  }

  std::vector<std::string> store_infs() override { return inf_files_in(inf_folder()); }

  std::vector<std::string> devices_using(const std::string& inf) override {
    std::vector<std::string> ids;
    for (const auto& d : SetupApiSource(true).scan().devices) {
      if (d.driver && text::iequals(d.driver->inf, inf)) ids.push_back(d.instance_id);
    }
    return ids;
  }

  bool can_remove_driver(std::string& why) override {
    auto newdev = load_system_library(L"newdev.dll");
    // Looked up, never assumed: Windows 10 1703 added it, and Wine does not export it.
    if (newdev && GetProcAddress(newdev.get(), "DiUninstallDriverW")) return true;
    why = "DiUninstallDriverW is not available on " + name() + " (Windows 10 1703 and later have it)";
    return false;
  }

  bool remove_driver(const std::string& instance_id, const std::string& store_inf, std::uint32_t,
                     std::string& evidence) override {
    using UninstallFn = BOOL(WINAPI*)(HWND, LPCWSTR, DWORD, PBOOL);
    auto newdev = load_system_library(L"newdev.dll");
    auto uninstall =
        newdev
            ? reinterpret_cast<UninstallFn>(reinterpret_cast<void*>(GetProcAddress(newdev.get(), "DiUninstallDriverW")))
            : nullptr;
    if (!uninstall) return can_remove_driver(evidence);
    // It acts on every device that uses the package: refused while another one does.
    for (const auto& other : devices_using(store_inf)) {
      if (!text::iequals(other, instance_id)) {
        evidence = store_inf + " is used by " + other + " too; uninstalling it would take that device's driver as well";
        return false;
      }
    }
    const auto path = (inf_folder() / store_inf).wstring();
    BOOL reboot = FALSE;
    if (!uninstall(nullptr, path.c_str(), 0, &reboot)) {
      evidence = "DiUninstallDriverW failed: " + code_text(GetLastError());
      return false;
    }
    evidence = "DiUninstallDriverW uninstalled " + store_inf + (reboot ? " (a restart finishes it)" : "");
    return true;
  }

  bool remove_added_inf(const std::string& inf, std::string& why) override {
    if (SetupUninstallOEMInfW(win::widen(inf).c_str(), 0, nullptr)) return true;
    why = code_text(GetLastError());
    return false;
  }

  RestorePointResult begin_restore_point(const std::string& description) override {
    return call_restore(kBeginSystemChange, kDeviceDriverInstall, 0, description);
  }
  RestorePointResult end_restore_point(std::int64_t sequence, bool cancelled) override {
    return call_restore(kEndSystemChange, cancelled ? kCancelledOperation : kDeviceDriverInstall, sequence, "");
  }

  std::optional<std::uint32_t> restore_frequency() override {
    HKEY raw = nullptr;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, kSystemRestoreKey, 0, KEY_READ | KEY_WOW64_64KEY, &raw) != ERROR_SUCCESS)
      return std::nullopt;
    RegistryKey key(raw);
    DWORD value = 0, size = sizeof value, type = 0;
    if (RegQueryValueExW(key.get(), kFrequencyValue, nullptr, &type, reinterpret_cast<BYTE*>(&value), &size) !=
            ERROR_SUCCESS ||
        type != REG_DWORD)
      return std::nullopt;
    return value;
  }

  void set_restore_frequency(std::optional<std::uint32_t> minutes) override {
    HKEY raw = nullptr;
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, kSystemRestoreKey, 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr,
                        &raw, nullptr) != ERROR_SUCCESS)
      throw Error("cannot open HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SystemRestore for writing");
    RegistryKey key(raw);
    LSTATUS rc;
    if (minutes) {
      const DWORD value = *minutes;
      rc =
          RegSetValueExW(key.get(), kFrequencyValue, 0, REG_DWORD, reinterpret_cast<const BYTE*>(&value), sizeof value);
    } else {
      rc = RegDeleteValueW(key.get(), kFrequencyValue);
      if (rc == ERROR_FILE_NOT_FOUND) rc = ERROR_SUCCESS;
    }
    if (rc != ERROR_SUCCESS) throw Error("cannot set SystemRestorePointCreationFrequency: " + code_text(rc));
  }

 private:
  RestorePointResult call_restore(DWORD event, DWORD type, std::int64_t sequence, const std::string& description) {
    auto srclient = load_system_library(L"srclient.dll");
    auto set = srclient ? reinterpret_cast<SetRestorePointFn>(
                              reinterpret_cast<void*>(GetProcAddress(srclient.get(), "SRSetRestorePointW")))
                        : nullptr;
    if (!set) return {RestorePointResult::Status::unavailable, 0, "System Restore is not available (no srclient.dll)"};
    RestorePointInfoW info{};
    info.event_type = event;
    info.restore_point_type = type;
    info.sequence = sequence;
    const auto wide = win::widen(description.substr(0, 200));
    std::copy(wide.begin(), wide.end(), info.description);
    StateManagerStatus status{};
    const BOOL ok = set(&info, &status);
    if (ok)
      return {RestorePointResult::Status::created, status.sequence, "restore point " + std::to_string(status.sequence)};
    if (status.status == ERROR_SERVICE_DISABLED)
      return {RestorePointResult::Status::unavailable, 0, "System Restore is turned off on this Windows"};
    if (status.status == ERROR_SUCCESS)
      // FALSE without a reason is what Wine's stub answers: there is no System Restore to use.
      return {RestorePointResult::Status::unavailable, 0,
              std::string("SRSetRestorePointW failed without a reason: System Restore is unavailable") +
                  (win::wine_version() ? " (Wine has none)" : "")};
    return {RestorePointResult::Status::failed, 0, "SRSetRestorePointW failed: " + code_text(status.status)};
  }
};
}  // namespace

std::unique_ptr<DriverSystem> open_this_system() { return std::make_unique<WindowsSystem>(); }

}  // namespace drvaudit::updater
