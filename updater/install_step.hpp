#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "updater/driver_system.hpp"
#include "updater/journal.hpp"
#include "updater/step.hpp"

// Installs a verified package's INF on one device, and puts the previous driver back on undo.
// The API's answer is never trusted alone: verify re-reads the device's driver (InfPath,
// InfSection, version where the OS has it, problem code) and "nothing changed" is a failure.
namespace drvaudit::updater {

inline constexpr const char* kInstallDriver = "install-driver";

struct InstallRequest {
  std::string instance_id, description;
  std::string hardware_id;        // the ID the new INF matches (what the API is called with)
  std::filesystem::path inf;      // the package's INF, in the cache or the stage folder
  std::string section, version;   // what the INF installs for that ID
  bool force = false;             // --include-better-match: Windows would keep the installed one
  std::string signature;          // as checked before the install: status and signer, or why not proven
  bool allowed_unsigned = false;  // installed only because of --allow-unsigned
  DriverBinding previous;         // the device's driver now
  std::string previous_matching_id;
};

PlannedStep plan_install(DriverSystem& system, const InstallRequest& request);
std::unique_ptr<Step> make_install(DriverSystem& system, const nlohmann::json& params);

}  // namespace drvaudit::updater
