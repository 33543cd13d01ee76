#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "updater/journal.hpp"
#include "updater/repair/repair_system.hpp"
#include "updater/step.hpp"

// The Windows Update repair's journaled steps. Each reads the state it replaces into the journal
// before it changes anything, reads the system back after, and undoes to exactly that state.
namespace drvaudit::repair {

inline constexpr const char* kServiceStep = "repair-service";
inline constexpr const char* kRenameFolderStep = "repair-rename-folder";
inline constexpr const char* kRegistryValueStep = "repair-registry-value";
inline constexpr const char* kClockResyncStep = "repair-clock-resync";
inline constexpr const char* kTroubleshooterStep = "repair-troubleshooter";

struct ServiceSetting {
  StartType start_type = StartType::demand;
  ServiceState state = ServiceState::stopped;  // stopped or running
};

// Puts a service from `before` into `after` (start type first, then started or stopped, waiting
// for the state up to `wait`); undo puts `before` back. `before` is what the service will be when
// the step runs (the plan knows: an earlier step may have stopped it).
updater::PlannedStep plan_service(const std::string& name, const ServiceSetting& before, const ServiceSetting& after,
                                  std::chrono::milliseconds wait, const std::string& why);
// A service's state as a step sets it: the pending states count as where they are heading.
ServiceSetting setting_of(const ServiceInfo& service);

// Renames `from` to `to` (never deletes). Undo renames it back; a folder Windows created at `from`
// meanwhile is moved aside to `from` + ".drvaudit-recreated-STAMP" first, not deleted.
updater::PlannedStep plan_rename_folder(const std::filesystem::path& from, const std::filesystem::path& to,
                                        const std::string& stamp);

// Sets one registry value; `before` is what is there now (nullopt: no value), `key_existed` whether
// its key is there. Undo writes `before` back or deletes the value (and the key drvaudit created).
updater::PlannedStep plan_registry_value(const std::string& key, const std::string& name,
                                         const std::optional<RegistryValue>& before, bool key_existed,
                                         const RegistryValue& after);

// w32tm /resync, then an SNTP measurement against `server`: done when within `max_offset_seconds`.
updater::PlannedStep plan_clock_resync(const std::string& server, double max_offset_seconds);

// msdt.exe /id WindowsUpdateDiagnostic when the OS still has it.
updater::PlannedStep plan_troubleshooter(const std::filesystem::path& msdt);

// Rebuilds any repair step from its journal row, against `system`.
updater::StepFactory repair_step_factory(RepairSystem& system);

// Waits until the service reaches `state` (polling), up to `wait`. Returns what was last seen.
std::optional<ServiceInfo> wait_for_service(RepairSystem& system, const std::string& name, ServiceState state,
                                            std::chrono::milliseconds wait);

}  // namespace drvaudit::repair
