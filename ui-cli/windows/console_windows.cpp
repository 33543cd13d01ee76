#include <fcntl.h>
#include <io.h>
#include <windows.h>
// clang-format off
#include <shellapi.h>
// clang-format on

#include "common/windows/wide.hpp"
#include "ui-cli/console.hpp"

namespace drvaudit::console {

namespace {
volatile LONG interrupt_seen = 0;

BOOL WINAPI on_console_event(DWORD event) {
  if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT) return FALSE;
  // The first one asks to stop; the next one is left to the default handler, which ends the process.
  return InterlockedExchange(&interrupt_seen, 1) == 0 ? TRUE : FALSE;
}
}  // namespace

InterruptRequest::InterruptRequest() {
  InterlockedExchange(&interrupt_seen, 0);
  SetConsoleCtrlHandler(on_console_event, TRUE);
}

InterruptRequest::~InterruptRequest() { SetConsoleCtrlHandler(on_console_event, FALSE); }

bool InterruptRequest::requested() const { return InterlockedCompareExchange(&interrupt_seen, 0, 0) != 0; }

void setup() {
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
  // drvaudit writes exact bytes: CSV already ends rows in CRLF, and text mode would make that CR CR LF.
  _setmode(_fileno(stdout), _O_BINARY);
  // Colours and the progress bar's line erase need VT processing; without it (an old console)
  // terminal::supports_vt says so and the bar falls back to plain overwriting.
  for (const DWORD which : {STD_OUTPUT_HANDLE, STD_ERROR_HANDLE}) {
    const HANDLE h = GetStdHandle(which);
    DWORD mode = 0;
    if (h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode))
      SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
  }
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
