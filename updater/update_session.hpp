#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_store.hpp"
#include "updater/driver_system.hpp"
#include "updater/install_step.hpp"
#include "updater/journal.hpp"
#include "updater/package_cache.hpp"
#include "updater/package_check.hpp"
#include "updater/stage.hpp"
#include "updater/update_plan.hpp"

// The update use case between the plan and the journal: get each chosen package, prove it, and
// turn the ones that passed into install steps behind a restore point. The command line only
// parses options, asks for confirmation and renders.
namespace drvaudit::updater {

// One device's package, fetched and checked (or refused, with why).
struct PreparedPackage {
  std::string instance_id, device, verdict;
  std::string hardware_id;
  std::string source;  // the catalog source, or the stage folder
  CachedPackage package;
  PackageCheck check;
  bool force = false;
  bool ready = false;             // every check passed, and the signature rule too
  bool allowed_unsigned = false;  // ready only because of --allow-unsigned
  std::string why;                // why not, when not
};

struct PrepareOptions {
  inf::TargetOs target;
  bool allow_unsigned = false;
  // Staging for another machine: catalog membership is what can be checked here; the signer's
  // chain is checked on the machine that installs (--from-stage).
  bool staging = false;
  // The CA file of each feed source (by the feed's URL), for package downloads.
  std::vector<std::pair<std::string, std::string>> feed_ca_files;
};

PreparedPackage prepare_package(PackageCache& cache, const PlannedDevice& planned, const PrepareOptions& options);
// A staged package, copied into the package cache and verified there file by file against the
// manifest, then checked like any other; it is installed from the cache, never from the stage folder.
PreparedPackage prepare_staged(PackageCache& cache, const std::filesystem::path& stage_dir, const StagedPackage& staged,
                               const PrepareOptions& options);

// The steps for the packages that are ready: a restore point around the installs unless none is
// wanted. Reads each device's current driver from the system (what undo will put back).
// A step that cannot be undone on this system (a driver for a device that has none, where the
// system cannot take it back to none) is refused (UsageError) unless allow_irreversible.
std::vector<PlannedStep> build_steps(DriverSystem& system, const std::vector<PreparedPackage>& packages,
                                     bool restore_point, bool allow_irreversible = false);

// Stages the ready packages into DIR and writes its manifest.
StageManifest stage_packages(const std::filesystem::path& dir, const MachineInfo& machine,
                             const std::vector<PreparedPackage>& packages);

}  // namespace drvaudit::updater
