#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "updater/journal.hpp"
#include "updater/schedule/weekly_schedule.hpp"
#include "updater/step.hpp"

// Registers the weekly audit with the platform's scheduler (DESIGN.md §5, Schedule): systemd or
// cron on Linux, Task Scheduler on Windows. Registering and removing are journaled steps like an
// update's, so a failed or killed registration is undone and `schedule remove` puts files back.
namespace drvaudit::schedule {

struct SchedulerOptions {
  bool user = false;                          // Linux: the user's systemd instance, not the system's
  std::optional<std::filesystem::path> root;  // Linux: write below this folder instead of /
  std::string via;                            // Linux: "systemd", "cron" or "" (systemd when it runs)
};

struct InstallRequest {
  WeeklyTime when;
  ScheduledCommand command;
};

struct Status {
  bool registered = false;
  std::string mechanism;           // "systemd timer", "cron", "Task Scheduler"
  std::vector<std::string> where;  // unit files, cron file or task path
  std::optional<WeeklyTime> when;  // read back from what is registered
  std::string command;             // the command line it runs
  std::string detail;              // what the scheduler itself says (enabled, next elapse), when known
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual std::string name() const = 0;  // "systemd (system-wide)", "cron", "Task Scheduler"
  // Whether this run must be elevated (root, an administrator).
  virtual bool needs_administrator() const = 0;
  virtual std::vector<updater::PlannedStep> plan_install(const InstallRequest& request) = 0;
  virtual std::vector<updater::PlannedStep> plan_remove() = 0;
  virtual Status status() = 0;
  // Rebuilds this scheduler's steps from the journal.
  virtual updater::StepFactory factory() = 0;
};

// Rebuilds any scheduler step of this platform from the journal (their params say everything),
// for `rollback` of a schedule operation.
updater::StepFactory schedule_step_factory();

// The platform's scheduler. Throws drvaudit::Error (unsupported, usage) when it cannot be used.
std::unique_ptr<Scheduler> open_scheduler(const SchedulerOptions& options);

}  // namespace drvaudit::schedule
