#pragma once

#include <string>
#include <vector>

namespace drvaudit::console {

// Prepares the console for UTF-8 output (Windows: the console code page).
void setup();

// The command-line arguments as UTF-8 (Windows: from the wide command line, not the ANSI argv).
std::vector<std::string> arguments(int argc, char** argv);

// While one is alive, Ctrl-C (SIGINT, or the console's Ctrl-C and Ctrl-Break) asks the running
// work to stop at its next safe point instead of killing the process; a second Ctrl-C kills it as
// usual. Only one may be alive at a time.
class InterruptRequest {
 public:
  InterruptRequest();
  ~InterruptRequest();
  InterruptRequest(const InterruptRequest&) = delete;
  InterruptRequest& operator=(const InterruptRequest&) = delete;
  bool requested() const;
};

}  // namespace drvaudit::console
