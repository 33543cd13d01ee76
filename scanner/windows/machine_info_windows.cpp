#include "scanner/windows/machine_info_windows.hpp"

#include <windows.h>

#include "common/clock.hpp"
#include "common/windows/wide.hpp"

namespace drvaudit {

WindowsVersion running_windows_version() {
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  WindowsVersion v;
  if (HMODULE ntdll = GetModuleHandleW(L"ntdll.dll")) {
    auto fn = reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")));
    OSVERSIONINFOW info{};
    info.dwOSVersionInfoSize = sizeof(info);
    if (fn && fn(&info) == 0) v = {info.dwMajorVersion, info.dwMinorVersion, info.dwBuildNumber};
  }
  return v;
}

MachineInfo windows_machine_info(const std::string& source) {
  MachineInfo info;
  info.os = "windows";
  info.source = source;
  info.captured_at = utc_now_iso8601();
  const auto v = running_windows_version();
  info.os_version = std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.build);
  wchar_t name[MAX_COMPUTERNAME_LENGTH + 1] = {};
  DWORD size = MAX_COMPUTERNAME_LENGTH + 1;
  if (GetComputerNameW(name, &size)) info.hostname = win::narrow(std::wstring_view(name, size));
  SYSTEM_INFO si{};
  GetNativeSystemInfo(&si);
  info.arch = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64   ? "arm64"
              : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
                                                                          : "amd64";
  return info;
}

}  // namespace drvaudit
