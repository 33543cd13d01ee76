#include "ui-cli/console.hpp"

namespace drvaudit::console {

void setup() {}

std::vector<std::string> arguments(int argc, char** argv) { return std::vector<std::string>(argv, argv + argc); }

}  // namespace drvaudit::console
