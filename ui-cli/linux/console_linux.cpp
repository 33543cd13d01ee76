#include <signal.h>

#include <csignal>

#include "ui-cli/console.hpp"

namespace drvaudit::console {

namespace {
volatile std::sig_atomic_t interrupt_seen = 0;
struct sigaction previous_action {};

void on_interrupt(int) { interrupt_seen = 1; }
}  // namespace

void setup() {}

std::vector<std::string> arguments(int argc, char** argv) { return std::vector<std::string>(argv, argv + argc); }

InterruptRequest::InterruptRequest() {
  interrupt_seen = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the second Ctrl-C gets the default action: the process ends
  ::sigaction(SIGINT, &action, &previous_action);
}

InterruptRequest::~InterruptRequest() { ::sigaction(SIGINT, &previous_action, nullptr); }

bool InterruptRequest::requested() const { return interrupt_seen != 0; }

}  // namespace drvaudit::console
