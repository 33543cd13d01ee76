#include <fcntl.h>
#include <io.h>
#include <windows.h>
// clang-format off
#include <shellapi.h>
// clang-format on

#include "common/windows/wide.hpp"
#include "ui-cli/console.hpp"

namespace drvaudit::console {

void setup() {
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
  // drvaudit writes exact bytes: CSV already ends rows in CRLF, and text mode would make that CR CR LF.
  _setmode(_fileno(stdout), _O_BINARY);
}

std::vector<std::string> arguments(int argc, char** argv) {
  int count = 0;
  wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
  if (!wide) return std::vector<std::string>(argv, argv + argc);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back(win::narrow(wide[i]));
  LocalFree(wide);
  return out;
}

}  // namespace drvaudit::console
