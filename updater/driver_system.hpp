#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scanner/device.hpp"

// The system the updater changes, behind one interface (the osquery/fwupd model): Windows itself
// (updater/windows/), or a recorded machine in a folder (updater/fixture_system.cpp: rehearsals on
// any platform, and the crash tests). Steps call only this.
namespace drvaudit::updater {

// A device's driver as the system reports it now.
struct DriverBinding {
  std::string inf;      // as the OS names it: input.inf, oem3.inf
  std::string section;  // the INF's install section
  std::string version;  // empty where the OS does not say (Wine)
  std::uint32_t problem = 0;
  std::string matching_id;  // the device ID the INF matched (MatchingDeviceId): what undo installs for
  friend bool operator==(const DriverBinding&, const DriverBinding&) = default;
};

// What a scan says a device's driver is, as a binding.
DriverBinding binding_of(const Device& device);
// The INF files in a folder (%windir%\INF), by name.
std::vector<std::string> inf_files_in(const std::filesystem::path& folder);

struct InstallResult {
  bool accepted = false;  // the API said it installed (never trusted alone: the step reads back)
  std::uint32_t error = 0;
  bool reboot_required = false;
  std::string message;  // the API's answer in words
};

struct RestorePointResult {
  enum class Status { created, unavailable, failed } status = Status::failed;
  std::int64_t sequence = 0;
  std::string message;
};

class DriverSystem {
 public:
  virtual ~DriverSystem() = default;
  virtual std::string name() const = 0;  // "Windows 10.0.19045", "the recorded machine in DIR"

  // nullopt: no such device.
  virtual std::optional<DriverBinding> binding(const std::string& instance_id) = 0;
  // Installs the INF on the devices with this hardware ID (UpdateDriverForPlugAndPlayDevicesW).
  virtual InstallResult install(const std::string& hardware_id, const std::filesystem::path& inf, bool force) = 0;
  // Where the OS keeps installed INFs (%windir%\INF), and the INFs in it now: packages arrive there
  // as oemNN.inf on Windows (under their own name on Wine), which a list taken before tells apart.
  virtual std::filesystem::path inf_folder() = 0;
  virtual std::vector<std::string> store_infs() = 0;
  virtual std::vector<std::string> devices_using(const std::string& inf) = 0;
  // Removes an added INF from the store (SetupUninstallOEMInfW); false with why when it could not.
  virtual bool remove_added_inf(const std::string& inf, std::string& why) = 0;
  // Takes a device that had no driver back to none: uninstalls the package `store_inf` the install
  // added (DiUninstallDriverW: its devices move to the next-best driver or to none, then it leaves
  // the store). False with why when this system cannot (the caller reads the device back either way).
  virtual bool can_remove_driver(std::string& why) = 0;
  virtual bool remove_driver(const std::string& instance_id, const std::string& store_inf, std::uint32_t problem_before,
                             std::string& evidence) = 0;

  // System Restore (SRSetRestorePointW): begin a DEVICE_DRIVER_INSTALL point, end it (or cancel it).
  virtual RestorePointResult begin_restore_point(const std::string& description) = 0;
  virtual RestorePointResult end_restore_point(std::int64_t sequence, bool cancelled) = 0;
  // The 24-hour frequency limit (SystemRestorePointCreationFrequency, minutes); nullopt = absent.
  virtual std::optional<std::uint32_t> restore_frequency() = 0;
  virtual void set_restore_frequency(std::optional<std::uint32_t> minutes) = 0;
};

// This machine's system: Windows, or (Linux) an UnsupportedError saying what Linux does instead.
std::unique_ptr<DriverSystem> open_this_system();
// A recorded machine in a folder: DIR/snapshot.json (its devices and drivers, rewritten on every
// install), DIR/inf/ (its INF folder) and DIR/restore-points.json.
std::unique_ptr<DriverSystem> open_fixture_system(const std::filesystem::path& root);

}  // namespace drvaudit::updater
