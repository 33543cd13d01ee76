// The Windows Update repair's view of Windows: the Service Control Manager, the registry, the
// Windows folder, WinHTTP's proxy, and the Windows Update Agent (history and driver search). Wine
// 8.0 implements the services and the registry for real; its WUA gives E_NOTIMPL for Search and
// QueryHistory, which is reported as "unavailable", never as an empty result.
#include <windows.h>
#include <winhttp.h>

#include <algorithm>
#include <cstdio>

#include "catalog/windows/wua.hpp"
#include "common/error.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"
#include "common/windows/com.hpp"
#include "common/windows/handles.hpp"
#include "common/windows/wide.hpp"
#include "common/windows/wine.hpp"
#include "updater/repair/repair_system.hpp"
#include "updater/repair/update_errors.hpp"

namespace drvaudit::repair {

namespace {
using win::Bstr;
using win::Com;
using win::ComApartment;

std::string hr_text(HRESULT hr) { return win::code_text(static_cast<unsigned long>(hr)); }

[[noreturn]] void fail(const std::string& what, DWORD code) { throw Error(what + ": " + win::code_text(code)); }

std::pair<HKEY, std::wstring> split_key(const std::string& key) {
  const auto slash = key.find('\\');
  const std::string root = key.substr(0, slash);
  const std::wstring sub = slash == std::string::npos ? L"" : win::widen(key.substr(slash + 1));
  if (text::iequals(root, "HKLM") || text::iequals(root, "HKEY_LOCAL_MACHINE")) return {HKEY_LOCAL_MACHINE, sub};
  if (text::iequals(root, "HKCU") || text::iequals(root, "HKEY_CURRENT_USER")) return {HKEY_CURRENT_USER, sub};
  throw UsageError("registry key '" + key + "': only HKLM and HKCU are known");
}

win::RegistryKey open_key(const std::string& key, REGSAM access, LSTATUS& status) {
  const auto [root, sub] = split_key(key);
  HKEY h = nullptr;
  status = RegOpenKeyExW(root, sub.c_str(), 0, access | KEY_WOW64_64KEY, &h);
  return win::RegistryKey(status == ERROR_SUCCESS ? h : nullptr);
}

ServiceState state_of(DWORD s) {
  switch (s) {
    case SERVICE_START_PENDING: return ServiceState::start_pending;
    case SERVICE_STOP_PENDING: return ServiceState::stop_pending;
    case SERVICE_RUNNING: return ServiceState::running;
    case SERVICE_CONTINUE_PENDING: return ServiceState::continue_pending;
    case SERVICE_PAUSE_PENDING: return ServiceState::pause_pending;
    case SERVICE_PAUSED: return ServiceState::paused;
    default: return ServiceState::stopped;
  }
}

DWORD start_type_code(StartType t) {
  switch (t) {
    case StartType::boot: return SERVICE_BOOT_START;
    case StartType::system: return SERVICE_SYSTEM_START;
    case StartType::automatic: return SERVICE_AUTO_START;
    case StartType::demand: return SERVICE_DEMAND_START;
    case StartType::disabled: return SERVICE_DISABLED;
  }
  return SERVICE_DEMAND_START;
}

StartType start_type_of(DWORD t) {
  switch (t) {
    case SERVICE_BOOT_START: return StartType::boot;
    case SERVICE_SYSTEM_START: return StartType::system;
    case SERVICE_AUTO_START: return StartType::automatic;
    case SERVICE_DISABLED: return StartType::disabled;
    default: return StartType::demand;
  }
}

class WindowsRepairSystem final : public RepairSystem {
 public:
  std::string name() const override { return win::wine_version() ? "Wine " + *win::wine_version() : "Windows"; }
  bool is_windows() const override { return true; }
  std::string machine_name() const override {
    wchar_t name[MAX_COMPUTERNAME_LENGTH + 1] = {};
    DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
    return GetComputerNameW(name, &size) ? win::narrow(std::wstring_view(name, size)) : std::string("this computer");
  }

  std::optional<ServiceInfo> service(const std::string& name) override {
    const auto scm = manager();
    const win::ServiceHandle h(
        OpenServiceW(scm.get(), win::widen(name).c_str(), SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG));
    if (!h) {
      const DWORD e = GetLastError();
      if (e == ERROR_SERVICE_DOES_NOT_EXIST) return std::nullopt;
      fail("cannot open the service " + name, e);
    }
    ServiceInfo info;
    info.name = name;
    SERVICE_STATUS_PROCESS status{};
    DWORD needed = 0;
    if (!QueryServiceStatusEx(h.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status,
                              &needed))
      fail("cannot read the state of " + name, GetLastError());
    info.state = state_of(status.dwCurrentState);
    QueryServiceConfigW(h.get(), nullptr, 0, &needed);
    std::vector<BYTE> buffer(std::max<DWORD>(needed, sizeof(QUERY_SERVICE_CONFIGW)));
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (!QueryServiceConfigW(h.get(), config, static_cast<DWORD>(buffer.size()), &needed))
      fail("cannot read the configuration of " + name, GetLastError());
    info.start_type = start_type_of(config->dwStartType);
    if (config->lpDisplayName) info.display_name = win::narrow(config->lpDisplayName);
    return info;
  }

  void set_start_type(const std::string& name, StartType type) override {
    const auto h = open_service(name, SERVICE_CHANGE_CONFIG);
    if (!ChangeServiceConfigW(h.get(), SERVICE_NO_CHANGE, start_type_code(type), SERVICE_NO_CHANGE, nullptr, nullptr,
                              nullptr, nullptr, nullptr, nullptr, nullptr))
      fail("cannot set the start type of " + name, GetLastError());
  }

  void start_service(const std::string& name) override {
    const auto h = open_service(name, SERVICE_START);
    if (!StartServiceW(h.get(), 0, nullptr) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING)
      fail("cannot start " + name, GetLastError());
  }

  void stop_service(const std::string& name) override {
    const auto h = open_service(name, SERVICE_STOP);
    SERVICE_STATUS status{};
    if (!ControlService(h.get(), SERVICE_CONTROL_STOP, &status) && GetLastError() != ERROR_SERVICE_NOT_ACTIVE)
      fail("cannot stop " + name, GetLastError());
  }

  std::optional<RegistryValue> registry_value(const std::string& key, const std::string& name) override {
    LSTATUS status = 0;
    const auto k = open_key(key, KEY_QUERY_VALUE, status);
    if (!k) return std::nullopt;
    const auto wname = win::widen(name);
    DWORD type = 0, size = 0;
    status = RegQueryValueExW(k.get(), wname.c_str(), nullptr, &type, nullptr, &size);
    if (status == ERROR_FILE_NOT_FOUND) return std::nullopt;
    if (status != ERROR_SUCCESS) fail("cannot read " + key + "\\" + name, static_cast<DWORD>(status));
    RegistryValue v;
    v.type = type;
    v.data.resize(size);
    status = RegQueryValueExW(k.get(), wname.c_str(), nullptr, &type, v.data.data(), &size);
    if (status != ERROR_SUCCESS) fail("cannot read " + key + "\\" + name, static_cast<DWORD>(status));
    v.data.resize(size);
    v.type = type;
    return v;
  }

  bool registry_key_exists(const std::string& key) override {
    LSTATUS status = 0;
    return static_cast<bool>(open_key(key, KEY_READ, status));
  }

  std::vector<std::string> registry_value_names(const std::string& key) override {
    std::vector<std::string> names;
    LSTATUS status = 0;
    const auto k = open_key(key, KEY_QUERY_VALUE, status);
    if (!k) return names;
    for (DWORD i = 0;; ++i) {
      wchar_t buffer[16384];
      DWORD length = static_cast<DWORD>(std::size(buffer));
      if (RegEnumValueW(k.get(), i, buffer, &length, nullptr, nullptr, nullptr, nullptr) != ERROR_SUCCESS) break;
      names.push_back(win::narrow(std::wstring_view(buffer, length)));
    }
    return names;
  }

  void set_registry_value(const std::string& key, const std::string& name, const RegistryValue& value) override {
    const auto [root, sub] = split_key(key);
    HKEY h = nullptr;
    LSTATUS status =
        RegCreateKeyExW(root, sub.c_str(), 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &h, nullptr);
    if (status != ERROR_SUCCESS) fail("cannot open or create " + key, static_cast<DWORD>(status));
    const win::RegistryKey k(h);
    status = RegSetValueExW(k.get(), win::widen(name).c_str(), 0, value.type, value.data.data(),
                            static_cast<DWORD>(value.data.size()));
    if (status != ERROR_SUCCESS) fail("cannot write " + key + "\\" + name, static_cast<DWORD>(status));
  }

  void delete_registry_value(const std::string& key, const std::string& name) override {
    LSTATUS status = 0;
    const auto k = open_key(key, KEY_SET_VALUE, status);
    if (!k) return;
    status = RegDeleteValueW(k.get(), win::widen(name).c_str());
    if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND)
      fail("cannot delete " + key + "\\" + name, static_cast<DWORD>(status));
  }

  void delete_registry_key_if_empty(const std::string& key) override {
    LSTATUS status = 0;
    {
      const auto k = open_key(key, KEY_READ, status);
      if (!k) return;
      DWORD subkeys = 0, values = 0;
      status = RegQueryInfoKeyW(k.get(), nullptr, nullptr, nullptr, &subkeys, nullptr, nullptr, &values, nullptr,
                                nullptr, nullptr, nullptr);
      if (status != ERROR_SUCCESS || subkeys || values) return;
    }
    const auto [root, sub] = split_key(key);
    status = RegDeleteKeyExW(root, sub.c_str(), KEY_WOW64_64KEY, 0);
    if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND)
      fail("cannot delete " + key, static_cast<DWORD>(status));
  }

  std::filesystem::path windows_folder() override {
    wchar_t buffer[MAX_PATH + 1];
    const UINT n = GetWindowsDirectoryW(buffer, MAX_PATH);
    if (n == 0 || n > MAX_PATH) fail("cannot find the Windows folder", GetLastError());
    return std::filesystem::path(std::wstring(buffer, n));
  }

  ProxySetting winhttp_proxy() override {
    ProxySetting p;
    WINHTTP_PROXY_INFO info{};
    if (!WinHttpGetDefaultProxyConfiguration(&info)) return p;
    p.known = true;
    p.direct = info.dwAccessType != WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    if (info.lpszProxy) {
      p.proxy = win::narrow(info.lpszProxy);
      GlobalFree(info.lpszProxy);
    }
    if (info.lpszProxyBypass) {
      p.bypass = win::narrow(info.lpszProxyBypass);
      GlobalFree(info.lpszProxyBypass);
    }
    return p;
  }

  RecordedErrors recorded_update_errors() override {
    RecordedErrors out;
    std::string wua_problem;
    {
      const ComApartment apartment;
      Com<IUpdateSearcher> searcher;
      const HRESULT hr = windows_update::create_update_searcher(searcher);
      LONG count = 0;
      const HRESULT hc = SUCCEEDED(hr) ? searcher->GetTotalHistoryCount(&count) : hr;
      Com<IUpdateHistoryEntryCollection> entries;
      const HRESULT hq = SUCCEEDED(hc) ? searcher->QueryHistory(0, std::min<LONG>(count, 100), entries.out()) : hc;
      if (SUCCEEDED(hq) && entries) {
        out.available = true;
        out.source = "Windows Update history, " + std::to_string(count) + " entries";
        LONG n = 0;
        entries->get_Count(&n);
        for (LONG i = 0; i < n; ++i) {
          Com<IUpdateHistoryEntry> e;
          if (FAILED(entries->get_Item(i, e.out())) || !e) continue;
          OperationResultCode result = orcNotStarted;
          e->get_ResultCode(&result);
          if (result != orcFailed && result != orcSucceededWithErrors && result != orcAborted) continue;
          LONG code = 0;
          e->get_HResult(&code);
          if (code >= 0) continue;
          RecordedUpdateError r;
          r.code = static_cast<std::uint32_t>(code);
          DATE when = 0;
          if (SUCCEEDED(e->get_Date(&when))) r.when = windows_update::date_text(when);
          Bstr title;
          if (SUCCEEDED(e->get_Title(title.out()))) r.what = title.text();
          r.from = "Windows Update history";
          out.errors.push_back(std::move(r));
        }
        return out;
      }
      wua_problem = "Windows Update history: " + hr_text(hq);
    }
    // Windows 7 and 8 kept a text log; Windows 10 and later have WUA's history (above).
    const auto log = windows_folder() / "WindowsUpdate.log";
    std::error_code ec;
    if (!std::filesystem::exists(log, ec)) {
      out.source = wua_problem + "; no WindowsUpdate.log";
      return out;
    }
    try {
      auto content = read_whole_file(log);
      constexpr std::size_t kTail = 8 * 1024 * 1024;  // the newest part is what matters
      if (content.size() > kTail) content.erase(0, content.size() - kTail);
      out.errors = parse_windows_update_log(content, 50);
      out.available = true;
      out.source = "WindowsUpdate.log (" + wua_problem + ")";
    } catch (const Error& e) {
      out.source = wua_problem + "; WindowsUpdate.log: " + e.what();
    }
    return out;
  }

  DriverSearch search_driver_updates() override { return windows_update::search_drivers(); }

 private:
  static win::ServiceHandle manager() {
    win::ServiceHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!scm) fail("cannot open the Service Control Manager", GetLastError());
    return scm;
  }

  static win::ServiceHandle open_service(const std::string& name, DWORD access) {
    const auto scm = manager();
    win::ServiceHandle h(OpenServiceW(scm.get(), win::widen(name).c_str(), access));
    if (!h) fail("cannot open the service " + name, GetLastError());
    return h;
  }
};
}  // namespace

std::unique_ptr<RepairSystem> open_repair_system() { return std::make_unique<WindowsRepairSystem>(); }

}  // namespace drvaudit::repair
