#pragma once

#include <string>

#include "scanner/inventory.hpp"

namespace drvaudit {

struct WindowsVersion {
  unsigned long major = 0, minor = 0, build = 0;
  unsigned product_type = 0;  // VER_NT_WORKSTATION, VER_NT_DOMAIN_CONTROLLER, VER_NT_SERVER
  unsigned suite_mask = 0;    // VER_SUITE_*
};
// The real version from RtlGetVersion (GetVersionEx lies to programs without a manifest).
WindowsVersion running_windows_version();
// "workstation", "server", "domain-controller"; "" for an unknown value.
std::string product_type_name(unsigned product_type);
// The processor architecture of the machine (not of this process): amd64, x86, arm64, arm, ia64.
std::string native_arch();

MachineInfo windows_machine_info(const std::string& source);

}  // namespace drvaudit
