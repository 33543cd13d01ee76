#pragma once

#include <windows.h>

#include <memory>
#include <type_traits>

// RAII for the Win32 handles drvaudit holds: a registry key, a loaded library, a service handle.
namespace drvaudit::win {

struct KeyCloser {
  void operator()(HKEY key) const noexcept { RegCloseKey(key); }
};
using RegistryKey = std::unique_ptr<std::remove_pointer_t<HKEY>, KeyCloser>;

struct LibraryCloser {
  void operator()(HMODULE m) const noexcept { FreeLibrary(m); }
};
using Library = std::unique_ptr<std::remove_pointer_t<HMODULE>, LibraryCloser>;

struct ServiceCloser {
  void operator()(SC_HANDLE h) const noexcept { CloseServiceHandle(h); }
};
using ServiceHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ServiceCloser>;

// A kernel object handle (file, folder): INVALID_HANDLE_VALUE and NULL both mean "none".
struct FileCloser {
  void operator()(HANDLE h) const noexcept {
    if (h && h != INVALID_HANDLE_VALUE) CloseHandle(h);
  }
};
using FileHandle = std::unique_ptr<std::remove_pointer_t<HANDLE>, FileCloser>;
inline FileHandle owned_file(HANDLE h) { return FileHandle(h == INVALID_HANDLE_VALUE ? nullptr : h); }

}  // namespace drvaudit::win
