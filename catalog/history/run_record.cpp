#include "catalog/history/run_record.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "common/clock.hpp"
#include "common/version.hpp"

namespace drvaudit::history {

namespace {
DeviceRecord device_record(const audit::DeviceAudit& a) {
  DeviceRecord r;
  r.instance_id = a.device.instance_id;
  r.description = a.device.description;
  r.class_name = a.device.class_name;
  r.problem_code = a.device.problem_code;
  r.present = a.device.present;
  if (a.installed.present) {
    const auto& d = a.installed.driver;
    r.has_driver = true;
    r.provider = d.provider;
    r.version = d.version;
    r.date = d.date.to_iso();
    r.inf = d.inf;
    r.section = d.section;
    r.module = d.module.empty() ? d.service : d.module;
  }
  r.verdict = std::string(audit::verdict_name(a.verdict));
  if (a.best) {
    r.best_inf = a.best->entry.inf_name;
    r.best_version = a.best->entry.version.to_string();
    r.best_date = a.best->entry.date.to_iso();
  }
  r.attention = a.attention;
  return r;
}
}  // namespace

RunRecord record_of(const audit::MachineAudit& audit, const std::string& trigger) {
  RunRecord run;
  run.recorded_at = utc_now_iso8601();
  run.captured_at = audit.machine.captured_at;
  run.machine = audit.machine.hostname;
  run.os = audit.machine.os;
  run.os_version = audit.machine.os_version;
  run.arch = audit.machine.arch;
  run.trigger = trigger;
  run.tool_version = kToolVersion;
  run.catalog = nlohmann::json{{"sources", audit.catalog.sources},
                               {"packages", audit.catalog.packages},
                               {"files", audit.catalog.files},
                               {"checked", audit.coverage.checked},
                               {"sections_for_target", audit.coverage.sections_for_target}}
                    .dump();
  for (auto v : audit::kAllVerdicts) run.summary[std::string(audit::verdict_name(v))] = 0;
  // A device is compared by its instance ID: a second device with the same ID (a damaged
  // snapshot) would make the comparison ambiguous, so only the first is kept.
  std::set<std::string> seen;
  for (const auto& a : audit.devices) {
    if (!seen.insert(a.device.instance_id).second) continue;
    run.devices.push_back(device_record(a));
    ++run.summary[run.devices.back().verdict];
    if (audit::needs_attention(a)) ++run.attention;
  }
  run.device_count = static_cast<std::int64_t>(run.devices.size());
  return run;
}

audit::Verdict verdict_of(const std::string& name) {
  for (auto v : audit::kAllVerdicts) {
    if (audit::verdict_name(v) == name) return v;
  }
  return audit::Verdict::no_catalog_data;
}

}  // namespace drvaudit::history
