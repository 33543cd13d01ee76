#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "common/terminal.hpp"

namespace drvaudit::terminal {

bool is_terminal(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

int width(std::FILE* stream, int fallback) {
  winsize size{};
  if (is_terminal(stream) && ::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return fallback;
}

bool use_color(std::FILE* stream) {
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return is_terminal(stream);
}

bool supports_vt(std::FILE* stream) {
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return is_terminal(stream);
}

}  // namespace drvaudit::terminal
