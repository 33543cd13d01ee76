#include "ui-cli/render/audit_render.hpp"
#include "common/text.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/json_output.hpp"
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

ordered_json signature_json(const inf::SignatureInfo& sig) {
  return {{"status", inf::signature_status_name(sig.status)},
          {"catalog_file", sig.catalog_file},
          {"signer", sig.signer},
          {"signed_at", sig.signed_at},
          {"chain", inf::chain_status_name(sig.chain)}};
}

std::string target_words(const AuditReport& report) {
  if (report.platform == audit::Platform::linux) {
    return report.modules_alias_read
               ? "Linux kernel drivers; kernel modules from " + report.modules_alias_read->string()
               : std::string("Linux kernel drivers; no modules.alias was read");
  }
  const char* how = report.target_source == audit::TargetSource::machine          ? "the machine's own"
                    : report.target_source == audit::TargetSource::override_given ? "as given"
                                                                                  : "assumed";
  return "catalog evaluated for Windows " + report.target.to_string() + " (" + how + ")";
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
          {"signature", signature_json(e.signature)},
          {"models_section", e.models_section},
          {"source", e.source}};
}

std::map<std::string, std::size_t> summary(const AuditReport& report) {
  std::map<std::string, std::size_t> counts;
  for (auto v : audit::kAllVerdicts) {
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
  out += (first ? "no devices" : "") + std::string("\n") + target_words(report) + "\n";
  for (const auto& w : report.warnings) out += "warning: " + text::escape_control(w) + "\n";
  return out;
}

std::string audit_json(const AuditReport& report) {
  ordered_json doc;
  doc["schema"] = "drvaudit-audit/2";
  doc["machine"] = {{"hostname", report.machine.hostname},       {"os", report.machine.os},
                    {"os_version", report.machine.os_version},   {"arch", report.machine.arch},
                    {"captured_at", report.machine.captured_at}, {"source", report.machine.source}};
  doc["platform"] = audit::platform_name(report.platform);
  doc["target"] = {{"version", std::to_string(report.target.major) + "." + std::to_string(report.target.minor) + "." +
                                   std::to_string(report.target.build)},
                   {"arch", report.target.arch},
                   {"product_type", inf::product_type_name(report.target.product_type)},
                   {"source", report.target_source == audit::TargetSource::machine          ? "machine"
                              : report.target_source == audit::TargetSource::override_given ? "given"
                                                                                            : "assumed"}};
  doc["warnings"] = report.warnings;
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
                        {"rank_source", audit::rank_source_name(a.installed.rank_source)},
                        {"rank_proven", a.installed.rank_proven()},
                        {"missing_facts", a.installed.missing_facts}};
    } else {
      d["installed"] = nullptr;
    }
    d["best"] = a.best ? candidate_json(*a.best) : ordered_json(nullptr);
    d["kernel_modules"] = a.kernel_modules;
    d["candidates"] = a.candidates.size();
    d["candidates_for_other_targets"] = a.other_targets;
    doc["devices"].push_back(std::move(d));
  }
  return json_text(std::move(doc));
}

std::string audit_csv(const AuditReport& report, bool excel) {
  csv::Writer w({.byte_order_mark = excel});
  w.row({"description", "class", "instance_id", "verdict", "installed_inf_or_module", "installed_version",
         "installed_date", "installed_rank", "best_inf", "best_version", "best_date", "best_rank", "best_matched_id",
         "best_signature", "reason"});
  for (const auto& a : report.devices) {
    const auto& in = a.installed;
    const auto& drv = in.driver;
    w.row({a.device.description, a.device.class_name, a.device.instance_id, std::string(audit::verdict_name(a.verdict)),
           in.present ? (drv.inf.empty() ? drv.module : drv.inf) : "", in.present ? drv.version : "", drv.date.to_iso(),
           in.rank ? rank::hex(*in.rank) : "",
           a.best ? a.best->entry.inf_name : (a.kernel_modules.empty() ? "" : a.kernel_modules.front()),
           a.best ? a.best->entry.version.to_string() : "", a.best ? a.best->entry.date.to_iso() : "",
           a.best ? rank::hex(a.best->value()) : "", a.best ? a.best->rank.identifier.device_id : "",
           a.best ? std::string(inf::signature_status_name(a.best->entry.signature.status)) : "", a.reason});
  }
  return w.text();
}

}  // namespace drvaudit::render
