#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "scanner/inventory.hpp"

// The audit use case (DESIGN.md §4): scan → catalog sources of this machine → per-machine target →
// verdicts → report. `audit`, `update`, `schedule run` and `history` all start here; the command
// line only parses arguments and renders the report.
namespace drvaudit::audit {

struct MachineAuditOptions {
  std::filesystem::path catalog_file;
  // The devices are this machine's own (not a snapshot or a recorded tree): on Windows its driver
  // store is indexed first, on Linux the running kernel's modules.alias is read.
  bool live_machine = false;
  std::optional<std::filesystem::path> modules_alias;  // Linux: instead of the running kernel's
  // --target-os/--arch/--product-type; each part given replaces the machine's own.
  std::optional<std::string> target_os, arch, product_type;
  std::vector<std::string> categories;  // setup classes to keep; empty = all
  // Windows, this machine: ask Windows Update which drivers it offers (a catalog source).
  bool windows_update = true;
};

enum class TargetSource { machine, override_given, default_assumed };

// Whether the audit could compare anything at all: an empty catalog, or one with nothing for the
// machine's Windows version and architecture, checks nothing, and must never look clean.
struct Coverage {
  bool checked = false;
  std::int64_t sections = 0;             // Models sections in the catalog
  std::int64_t sections_for_target = 0;  // of them, those that apply to the target
  bool modules_alias = false;            // Linux: a modules.alias was read
  std::string problem;                   // why nothing could be checked; empty when checked
};

struct MachineAudit {
  MachineInfo machine;
  Platform platform = Platform::windows;
  inf::TargetOs target;
  TargetSource target_source = TargetSource::machine;
  std::vector<std::string> warnings;                        // what the user must know about this audit's reliability
  std::optional<std::filesystem::path> modules_alias_read;  // Linux: the modules.alias used
  catalog::Stats catalog;                                   // audit_stats(): models and ids are not counted
  Coverage coverage;
  std::vector<DeviceAudit> devices;
};

// Runs the whole audit of one inventory. Throws drvaudit::Error (with its exit code) on failure.
MachineAudit run_machine_audit(const Inventory& inventory, const MachineAuditOptions& options);

// The target a machine's facts describe: its Windows version, architecture and product type, with
// the options' parts replacing them. nullopt for parts the machine does not state.
inf::TargetOs target_for(const MachineInfo& machine, const MachineAuditOptions& options, TargetSource& source,
                         std::vector<std::string>& warnings);

// Whether a device is the one a user named: its instance ID or a hardware ID (any case), or part
// of its instance ID or description.
bool device_matches(const Device& device, std::string_view selector);

}  // namespace drvaudit::audit
