#include <windows.h>

#include "catalog/default_catalog.hpp"
#include "scanner/windows/machine_info_windows.hpp"

namespace drvaudit::catalog {

std::vector<std::filesystem::path> default_inf_folders() {
  wchar_t windir[MAX_PATH] = {};
  const UINT n = GetWindowsDirectoryW(windir, MAX_PATH);
  if (n == 0 || n >= MAX_PATH) return {};
  const std::filesystem::path root(windir);
  std::vector<std::filesystem::path> folders;
  for (const auto& folder : {root / L"INF", root / L"System32" / L"DriverStore" / L"FileRepository"}) {
    std::error_code ec;
    if (std::filesystem::is_directory(folder, ec)) folders.push_back(folder);
  }
  return folders;
}

inf::TargetOs default_target() {
  const auto v = running_windows_version();
  inf::TargetOs t;
  t.major = static_cast<int>(v.major);
  t.minor = static_cast<int>(v.minor);
  t.build = static_cast<int>(v.build);
  SYSTEM_INFO si{};
  GetNativeSystemInfo(&si);
  t.arch = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64   ? "arm64"
           : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
                                                                       : "amd64";
  t.product_type = 1;
  return t;
}

}  // namespace drvaudit::catalog
