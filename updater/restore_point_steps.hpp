#pragma once

#include <memory>
#include <string>
#include <vector>

#include "updater/driver_system.hpp"
#include "updater/journal.hpp"
#include "updater/step.hpp"

// A System Restore point around the installs: BEGIN_SYSTEM_CHANGE / DEVICE_DRIVER_INSTALL before
// the first, END_SYSTEM_CHANGE after the last. The 24-hour frequency limit would silently reuse an
// older point, so the creation-frequency value is set to 0 for the call and put back (its old value,
// or its absence, is in the step's params before anything changes).
namespace drvaudit::updater {

inline constexpr const char* kBeginRestorePoint = "begin-restore-point";
inline constexpr const char* kEndRestorePoint = "end-restore-point";

PlannedStep plan_begin_restore_point(DriverSystem& system, const std::string& description);
PlannedStep plan_end_restore_point();

std::unique_ptr<Step> make_begin_restore_point(DriverSystem& system, const nlohmann::json& params,
                                               const std::vector<StepRecord>& steps);
std::unique_ptr<Step> make_end_restore_point(DriverSystem& system, const nlohmann::json& params,
                                             const std::vector<StepRecord>& steps);

}  // namespace drvaudit::updater
