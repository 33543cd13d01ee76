#include "ui-cli/render/audit_render.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/table.hpp"

namespace drvaudit::render {

using nlohmann::ordered_json;

namespace {
std::string installed_label(const audit::Installed& in) {
  if (!in.present) return "-";
  const auto& d = in.driver;
  return (d.inf.empty() ? (d.module.empty() ? d.service : d.module) : d.inf) + " " + d.version;
}

std::string best_label(const audit::DeviceAudit& a) {
  if (a.best) return a.best->entry.inf_name + " " + a.best->entry.version.to_string();
  if (!a.kernel_modules.empty()) return "module " + a.kernel_modules.front();
  return "-";
}

ordered_json candidate_json(const audit::Candidate& c) {
  const auto& e = c.entry;
  return {{"inf", e.inf_name},
          {"path", e.path},
          {"provider", e.provider},
          {"version", e.version.to_string()},
          {"date", e.date.to_iso()},
          {"section", e.ddinstall_section},
          {"description", e.description},
          {"matched_id", c.rank.identifier.device_id},
          {"match_type", std::string(rank::match_type_name(c.rank.identifier.type))},
          {"rank", rank::hex(c.value())},
          {"signed", e.is_signed()},
          {"source", e.source}};
}

std::map<std::string, std::size_t> summary(const AuditReport& report) {
  std::map<std::string, std::size_t> counts;
  for (auto v : {audit::Verdict::up_to_date, audit::Verdict::update_available, audit::Verdict::better_match,
                 audit::Verdict::missing_driver, audit::Verdict::no_catalog_data}) {
    counts[std::string(audit::verdict_name(v))] = 0;
  }
  for (const auto& a : report.devices) ++counts[std::string(audit::verdict_name(a.verdict))];
  return counts;
}
}  // namespace

std::string audit_table(const AuditReport& report, int width) {
  const std::vector<table::Column> columns = {{"DEVICE", 16, 44, false},
                                              {"VERDICT", 16, 16, false},
                                              {"INSTALLED", 14, 30, false},
                                              {"BEST", 14, 34, false},
                                              {"CLASS", 5, 12, true}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : report.devices) {
    rows.push_back({a.device.description, std::string(audit::verdict_name(a.verdict)), installed_label(a.installed),
                    best_label(a), a.device.class_name});
  }
  std::string out = table::render(columns, rows, width);
  out += "\n";
  bool first = true;
  for (const auto& [verdict, count] : summary(report)) {
    if (!count) continue;
    out += (first ? "" : ", ") + std::to_string(count) + " " + verdict;
    first = false;
  }
  out += (first ? "no devices" : "") + std::string("\ncatalog evaluated for Windows ") + report.target + "\n";
  return out;
}

std::string audit_json(const AuditReport& report) {
  ordered_json doc;
  doc["schema"] = "drvaudit-audit/1";
  doc["machine"] = {{"hostname", report.machine.hostname},
                    {"os", report.machine.os},
                    {"os_version", report.machine.os_version},
                    {"captured_at", report.machine.captured_at},
                    {"source", report.machine.source}};
  doc["target"] = report.target;
  doc["summary"] = summary(report);
  doc["devices"] = ordered_json::array();
  for (const auto& a : report.devices) {
    ordered_json d;
    d["instance_id"] = a.device.instance_id;
    d["description"] = a.device.description;
    d["class"] = a.device.class_name;
    d["verdict"] = audit::verdict_name(a.verdict);
    d["reason"] = a.reason;
    if (a.installed.present) {
      const auto& drv = a.installed.driver;
      d["installed"] = {{"inf", drv.inf},
                        {"provider", drv.provider},
                        {"version", drv.version},
                        {"date", drv.date.to_iso()},
                        {"section", drv.section},
                        {"matching_id", drv.matching_id},
                        {"service", drv.service},
                        {"module", drv.module},
                        {"rank", a.installed.rank ? ordered_json(rank::hex(*a.installed.rank)) : ordered_json(nullptr)},
                        {"rank_source", audit::rank_source_name(a.installed.rank_source)}};
    } else {
      d["installed"] = nullptr;
    }
    d["best"] = a.best ? candidate_json(*a.best) : ordered_json(nullptr);
    d["kernel_modules"] = a.kernel_modules;
    d["candidates"] = a.candidates.size();
    doc["devices"].push_back(std::move(d));
  }
  return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string audit_csv(const AuditReport& report, bool excel) {
  csv::Writer w({.byte_order_mark = excel});
  w.row({"description", "class", "instance_id", "verdict", "installed_inf_or_module", "installed_version",
         "installed_date", "installed_rank", "best_inf", "best_version", "best_date", "best_rank", "best_matched_id",
         "reason"});
  for (const auto& a : report.devices) {
    const auto& in = a.installed;
    const auto& drv = in.driver;
    w.row({a.device.description, a.device.class_name, a.device.instance_id, std::string(audit::verdict_name(a.verdict)),
           in.present ? (drv.inf.empty() ? drv.module : drv.inf) : "", in.present ? drv.version : "", drv.date.to_iso(),
           in.rank ? rank::hex(*in.rank) : "",
           a.best ? a.best->entry.inf_name : (a.kernel_modules.empty() ? "" : a.kernel_modules.front()),
           a.best ? a.best->entry.version.to_string() : "", a.best ? a.best->entry.date.to_iso() : "",
           a.best ? rank::hex(a.best->value()) : "", a.best ? a.best->rank.identifier.device_id : "", a.reason});
  }
  return w.text();
}

}  // namespace drvaudit::render
