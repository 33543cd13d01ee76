#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/driver_date.hpp"

// The device model every scanner fills in (DESIGN.md §3). It carries what Windows itself uses to
// pick a driver, so one ranking serves Windows, Linux and recorded snapshots alike.
namespace drvaudit {

struct InstalledDriver {
  std::string provider;               // DriverProvider; "Linux kernel" for in-tree modules
  std::string version;                // as reported: "w.x.y.z" on Windows, module version on Linux
  DriverDate date;                    // zero when unknown
  std::string inf;                    // INF file name (oemNN.inf) on Windows
  std::string section;                // INF install section
  std::string matching_id;            // the device ID the INF matched
  std::optional<std::uint32_t> rank;  // DEVPKEY_Device_DriverRank where the OS reports it
  std::string signer;
  std::string service;  // Windows service / Linux kernel driver name
  std::string module;   // Linux kernel module ("" for built-in drivers)

  friend bool operator==(const InstalledDriver&, const InstalledDriver&) = default;
};

// The installed version as a reader should see it. A Linux driver built into the kernel carries
// the kernel's release as its version: it reads "built into kernel 6.1" (the full release stays in
// the JSON and in --explain).
std::string version_text(const InstalledDriver& d);

struct Device {
  std::string instance_id;  // Windows device instance ID, or the sysfs path on Linux
  std::string parent_id;    // instance ID of the parent device, "" for roots
  std::string bus;          // enumerator: PCI, USB, HDAUDIO, ACPI, HID, …
  std::string class_name;   // Windows setup class: Display, Net, USB, …
  std::string class_guid;   // {xxxxxxxx-xxxx-…}, lower case
  std::string description;
  std::string manufacturer;
  std::string location;
  std::vector<std::string> hardware_ids;    // most specific first: the position is part of the rank
  std::vector<std::string> compatible_ids;  // most specific first
  std::uint32_t problem_code = 0;           // Windows CM_PROB_*; 0 = none
  bool present = true;
  std::string firmware_version;           // where the platform shows it
  std::string modalias;                   // Linux: the kernel's module alias key; "" elsewhere
  std::optional<InstalledDriver> driver;  // nullopt: no driver bound

  friend bool operator==(const Device&, const Device&) = default;
};

}  // namespace drvaudit
