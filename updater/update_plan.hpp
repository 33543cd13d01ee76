#pragma once

#include <string>
#include <vector>

#include "catalog/machine_audit.hpp"

// From an audit's verdicts to the devices to update (DESIGN.md §5): update_available and
// missing_driver by default, better_match only when asked, and never a verdict whose rank
// comparison is unproven (possible_update, or an installed driver of unknown rank).
namespace drvaudit::updater {

struct PlanOptions {
  std::vector<std::string> devices;  // selectors as in `audit --explain`; empty with all = every device
  bool all = false;
  bool include_better_match = false;
};

struct PlannedDevice {
  audit::DeviceAudit audit;
  audit::Candidate chosen;
  bool force = false;  // better_match: Windows would keep the installed driver without FORCE
};

struct SkippedDevice {
  Device device;
  audit::Verdict verdict;
  std::string why;
};

struct UpdatePlan {
  std::vector<PlannedDevice> devices;
  std::vector<SkippedDevice> skipped;  // named or flagged, but not to be updated, with why
};

// Throws UsageError when a selector names no device, or neither devices nor all are given.
UpdatePlan make_plan(const audit::MachineAudit& audit, const PlanOptions& options);

}  // namespace drvaudit::updater
