#include <io.h>
#include <windows.h>

#include <cstdlib>
#include <cstring>

#include "common/terminal.hpp"

namespace drvaudit::terminal {

bool is_terminal(std::FILE* stream) { return _isatty(_fileno(stream)) != 0; }

int width(std::FILE* stream, int fallback) {
  if (!is_terminal(stream)) return fallback;
  CONSOLE_SCREEN_BUFFER_INFO info{};
  const HANDLE h = GetStdHandle(stream == stderr ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
  if (!GetConsoleScreenBufferInfo(h, &info)) return fallback;
  return info.srWindow.Right - info.srWindow.Left + 1;
}

bool supports_vt(std::FILE* stream) {
  if (!is_terminal(stream)) return false;
  DWORD mode = 0;
  const HANDLE h = GetStdHandle(stream == stderr ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
  return GetConsoleMode(h, &mode) && (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
}

bool use_color(std::FILE* stream) {
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  return supports_vt(stream);
}

}  // namespace drvaudit::terminal
