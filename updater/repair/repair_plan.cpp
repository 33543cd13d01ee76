#include "updater/repair/repair_plan.hpp"

#include <algorithm>
#include <map>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "updater/repair/diagnosis.hpp"
#include "updater/repair/repair_steps.hpp"

namespace drvaudit::repair {

namespace {
std::string path_text(const std::filesystem::path& p) {
  const auto u8 = p.u8string();
  return std::string(u8.begin(), u8.end());
}

std::string stamp_of(std::chrono::system_clock::time_point now) {
  const auto iso = iso8601(now);  // 2026-12-02T18:14:01Z
  std::string out;
  for (char c : iso.substr(0, 19))
    if (c != '-' && c != ':') out += c == 'T' ? '-' : c;
  return out;
}

// The services as the plan leaves them after each step, so that a later step's `before` is right.
class ServiceTracker {
 public:
  explicit ServiceTracker(RepairSystem& system) : system_(system) {}
  std::optional<ServiceSetting> get(const std::string& name) {
    if (const auto it = known_.find(name); it != known_.end()) return it->second;
    const auto info = system_.service(name);
    if (!info) return std::nullopt;
    return known_[name] = setting_of(*info);
  }
  void set(const std::string& name, const ServiceSetting& s) { known_[name] = s; }

 private:
  RepairSystem& system_;
  std::map<std::string, ServiceSetting> known_;
};

void add_service(RepairPlan& plan, ServiceTracker& services, const std::string& name, const ServiceSetting& after,
                 const RepairPlanOptions& options, const std::string& why) {
  const auto before = services.get(name);
  if (!before) return;
  if (before->start_type == after.start_type && before->state == after.state) return;
  plan.steps.push_back(plan_service(name, *before, after, options.service_wait, why));
  services.set(name, after);
}
}  // namespace

std::filesystem::path backup_name(const std::filesystem::path& folder, std::chrono::system_clock::time_point now) {
  const auto base = path_text(folder.filename()) + ".drvaudit-" + stamp_of(now);
  auto candidate = folder.parent_path() / std::filesystem::path(std::u8string(base.begin(), base.end()));
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(candidate, ec); ++n) {
    const auto numbered = base + "-" + std::to_string(n);
    candidate = folder.parent_path() / std::filesystem::path(std::u8string(numbered.begin(), numbered.end()));
  }
  return candidate;
}

RepairPlan plan_repair(RepairSystem& system, const std::vector<std::string>& names, const RepairPlanOptions& options) {
  for (const auto& n : names)
    if (std::find(kRepairSteps.begin(), kRepairSteps.end(), n) == kRepairSteps.end())
      throw UsageError("--step: '" + n + "' is not a repair step (clock, services, software-distribution, catroot2, " +
                       "troubleshooter, allow-os-upgrade)");
  const auto wanted = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  RepairPlan plan;
  ServiceTracker services(system);
  const auto windows = system.windows_folder();

  if (wanted("clock")) {
    if (const auto w32time = services.get("w32time")) {
      const StartType type = w32time->start_type == StartType::disabled ? StartType::demand : w32time->start_type;
      add_service(plan, services, "w32time", {type, ServiceState::running}, options, "w32tm needs it");
    } else {
      plan.notes.push_back("clock: the w32time service is not installed; w32tm will fail");
    }
    plan.steps.push_back(plan_clock_resync(options.ntp_server, options.max_clock_offset_seconds));
  }

  if (wanted("services")) {
    bool any = false;
    for (const auto& s : kUpdateServices) {
      const auto now = services.get(s.name);
      if (!now) {
        plan.notes.push_back(std::string("services: ") + s.name + " is not installed; drvaudit cannot install it");
        continue;
      }
      const StartType type = now->start_type == StartType::disabled ? s.default_start : now->start_type;
      const auto before_count = plan.steps.size();
      add_service(plan, services, s.name, {type, ServiceState::running}, options,
                  now->start_type == StartType::disabled ? "it was disabled" : "check that it runs");
      any = any || plan.steps.size() != before_count;
    }
    if (!any) plan.notes.push_back("services: wuauserv, bits and cryptsvc are enabled and running already");
  }

  std::vector<std::filesystem::path> folders;
  if (wanted("software-distribution")) folders.push_back(windows / "SoftwareDistribution");
  if (wanted("catroot2")) folders.push_back(windows / "System32" / "catroot2");
  std::erase_if(folders, [&](const std::filesystem::path& f) {
    std::error_code ec;
    if (std::filesystem::is_directory(f, ec)) return false;
    plan.notes.push_back(path_text(f.filename()) + ": " + path_text(f) + " is not there; nothing to rename");
    return true;
  });
  if (!folders.empty()) {
    // Stop what holds the folders open, rename them, then put every service back as it was.
    std::vector<std::pair<std::string, ServiceSetting>> previous;
    for (const auto& s : kUpdateServices) {
      if (const auto now = services.get(s.name)) {
        previous.emplace_back(s.name, *now);
        add_service(plan, services, s.name, {now->start_type, ServiceState::stopped}, options,
                    "it holds the folder open");
      }
    }
    for (const auto& f : folders)
      plan.steps.push_back(plan_rename_folder(f, backup_name(f, options.now), stamp_of(options.now)));
    for (auto it = previous.rbegin(); it != previous.rend(); ++it)
      add_service(plan, services, it->first, it->second, options, "as it was before the repair");
  }

  if (wanted("troubleshooter")) plan.steps.push_back(plan_troubleshooter(windows / "System32" / "msdt.exe"));

  if (wanted("allow-os-upgrade")) {
    const auto now = system.registry_value(kOsUpgradeKey, kAllowOsUpgrade);
    const auto one = RegistryValue::dword(1);
    if (now == one) {
      plan.notes.push_back("allow-os-upgrade: AllowOSUpgrade is 1 already");
    } else {
      plan.steps.push_back(
          plan_registry_value(kOsUpgradeKey, kAllowOsUpgrade, now, system.registry_key_exists(kOsUpgradeKey), one));
    }
  }
  return plan;
}

}  // namespace drvaudit::repair
