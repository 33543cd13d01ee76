#pragma once

#include <filesystem>
#include <string>

#include "scanner/inventory.hpp"

namespace drvaudit {

struct SysfsOptions {
  std::filesystem::path root = "/sys";
  std::filesystem::path pci_ids;  // "" = the installed pci.ids, if any
  std::filesystem::path usb_ids;  // "" = the installed usb.ids, if any
  // The release reported for built-in drivers; "" = read from /proc next to the root.
  std::string kernel_release;
};

// Lists the devices under a sysfs tree with the IDs Windows would give them (DESIGN.md §3).
class SysfsSource : public DeviceSource {
 public:
  explicit SysfsSource(SysfsOptions options);
  Inventory scan() override;

 private:
  SysfsOptions options_;
};

}  // namespace drvaudit
