#pragma once

#include <string>

#include "scanner/inventory.hpp"

namespace drvaudit {

struct WindowsVersion {
  unsigned long major = 0, minor = 0, build = 0;
};
// The real version from RtlGetVersion (GetVersionEx lies to programs without a manifest).
WindowsVersion running_windows_version();

MachineInfo windows_machine_info(const std::string& source);

}  // namespace drvaudit
