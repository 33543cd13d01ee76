#pragma once

#include <string>
#include <vector>

#include "scanner/device.hpp"

namespace drvaudit {

// Where and when a device list was taken.
struct MachineInfo {
  std::string hostname;
  std::string os;            // "linux", "windows"
  std::string os_version;    // kernel release, or Windows major.minor.build
  std::string arch;          // "x86_64"/"amd64", "arm64", …
  std::string product_type;  // Windows: "workstation", "server", "domain-controller"; "" when unknown
  std::string captured_at;   // ISO 8601 UTC
  std::string source;        // "sysfs:/sys", "setupapi", …

  friend bool operator==(const MachineInfo&, const MachineInfo&) = default;
};

struct Inventory {
  MachineInfo machine;
  std::vector<Device> devices;

  friend bool operator==(const Inventory&, const Inventory&) = default;
};

// One interface for every way of learning a machine's devices: a live scan (sysfs, SetupAPI) or
// a recorded snapshot.
class DeviceSource {
 public:
  virtual ~DeviceSource() = default;
  virtual Inventory scan() = 0;
};

}  // namespace drvaudit
