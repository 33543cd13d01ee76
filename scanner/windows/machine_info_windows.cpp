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
    // The EX form also carries the product type and suite mask that TargetOSVersion decorations test.
    OSVERSIONINFOEXW info{};
    info.dwOSVersionInfoSize = sizeof(info);
    if (fn && fn(reinterpret_cast<OSVERSIONINFOW*>(&info)) == 0) {
      v = {info.dwMajorVersion, info.dwMinorVersion, info.dwBuildNumber, info.wProductType, info.wSuiteMask};
    }
  }
  return v;
}

std::string product_type_name(unsigned product_type) {
  switch (product_type) {
    case VER_NT_WORKSTATION: return "workstation";
    case VER_NT_DOMAIN_CONTROLLER: return "domain-controller";
    case VER_NT_SERVER: return "server";
    default: return "";
  }
}

std::string native_arch() {
  SYSTEM_INFO si{};
  GetNativeSystemInfo(&si);
  switch (si.wProcessorArchitecture) {
    case PROCESSOR_ARCHITECTURE_ARM64: return "arm64";
    case PROCESSOR_ARCHITECTURE_INTEL: return "x86";
    case PROCESSOR_ARCHITECTURE_ARM: return "arm";
    case PROCESSOR_ARCHITECTURE_IA64: return "ia64";
    default: return "amd64";
  }
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
  info.arch = native_arch();
  info.product_type = product_type_name(v.product_type);
  return info;
}

}  // namespace drvaudit
