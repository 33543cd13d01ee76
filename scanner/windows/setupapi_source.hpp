#pragma once

#include "scanner/inventory.hpp"

namespace drvaudit {

// Lists Windows' devices with SetupAPI: registry properties for the IDs and names, the unified
// device properties (DEVPKEY_Device_Driver*) for the installed driver, falling back to the driver's
// registry key, then to "unknown" (Wine implements the key, not the properties).
class SetupApiSource : public DeviceSource {
 public:
  explicit SetupApiSource(bool include_absent) : include_absent_(include_absent) {}
  Inventory scan() override;

 private:
  bool include_absent_;
};

}  // namespace drvaudit
