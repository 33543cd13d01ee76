#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "updater/journal.hpp"
#include "updater/repair/repair_system.hpp"

// `repair windows-update`: the steps for the named repairs, read from the system as it is now, in
// the usual advice's order. The plan is what the dry run prints and what the journal records.
namespace drvaudit::repair {

struct RepairPlanOptions {
  std::string ntp_server;
  double max_clock_offset_seconds = 60;
  std::chrono::milliseconds service_wait{std::chrono::seconds(60)};
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct RepairPlan {
  std::vector<updater::PlannedStep> steps;
  std::vector<std::string> notes;  // what a named repair found nothing to do for, and why
};

// `names` from kRepairSteps (any order; they run in kRepairSteps order). Throws UsageError for an
// unknown name.
RepairPlan plan_repair(RepairSystem& system, const std::vector<std::string>& names, const RepairPlanOptions& options);

// "SoftwareDistribution.drvaudit-20261202-181401" next to `folder`, not taken yet.
std::filesystem::path backup_name(const std::filesystem::path& folder, std::chrono::system_clock::time_point now);

}  // namespace drvaudit::repair
