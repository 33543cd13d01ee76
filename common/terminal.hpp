#pragma once

#include <cstdio>

// What the output stream is connected to, so that progress bars, colour and table width adapt
// to a terminal and stay out of pipes and files.
namespace drvaudit::terminal {

bool is_terminal(std::FILE* stream);
// Columns of the terminal behind stream, or fallback when it is not a terminal.
int width(std::FILE* stream, int fallback = 80);
// Colour only on a terminal, and never when NO_COLOR is set (no-color.org) or TERM=dumb.
bool use_color(std::FILE* stream);
// Whether the terminal behind stream interprets ANSI/VT sequences (colours, erase line). Windows:
// only a console with ENABLE_VIRTUAL_TERMINAL_PROCESSING on.
bool supports_vt(std::FILE* stream);

}  // namespace drvaudit::terminal
