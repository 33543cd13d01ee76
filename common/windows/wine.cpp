#include "common/windows/wine.hpp"

#include <windows.h>

namespace drvaudit::win {

std::optional<std::string> wine_version() {
  using WineGetVersion = const char*(__cdecl*)();
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  if (!ntdll) return std::nullopt;
  auto get = reinterpret_cast<WineGetVersion>(reinterpret_cast<void*>(GetProcAddress(ntdll, "wine_get_version")));
  if (!get) return std::nullopt;
  const char* v = get();
  return std::string(v ? v : "unknown");
}

}  // namespace drvaudit::win
