#pragma once

#include <string>

#include "scanner/inventory.hpp"

namespace drvaudit {

// Host name, kernel release and architecture of the running Linux system, stamped now.
MachineInfo linux_machine_info(const std::string& source);

}  // namespace drvaudit
