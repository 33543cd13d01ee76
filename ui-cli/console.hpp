#pragma once

#include <string>
#include <vector>

namespace drvaudit::console {

// Prepares the console for UTF-8 output (Windows: the console code page).
void setup();

// The command-line arguments as UTF-8 (Windows: from the wide command line, not the ANSI argv).
std::vector<std::string> arguments(int argc, char** argv);

}  // namespace drvaudit::console
