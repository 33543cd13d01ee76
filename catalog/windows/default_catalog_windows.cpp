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
  t.arch = native_arch();
  t.product_type = inf::parse_product_type(product_type_name(v.product_type)).value_or(inf::ProductType::workstation);
  t.suite_mask = v.suite_mask;
  return t;
}

}  // namespace drvaudit::catalog
