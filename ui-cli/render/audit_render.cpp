#include "ui-cli/render/audit_render.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "common/arch.hpp"
#include "common/text.hpp"
#include "common/version.hpp"
#include "scanner/problem_codes.hpp"
#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/history_render.hpp"
#include "ui-cli/render/json_output.hpp"

namespace drvaudit::render {

using nlohmann::ordered_json;

namespace {
std::string installed_name(const audit::Installed& in) {
  if (!in.present) return "-";
  const auto& d = in.driver;
  return d.inf.empty() ? (d.module.empty() ? d.service : d.module) : d.inf;
}

std::string installed_version(const audit::Installed& in) {
  if (!in.present) return "-";
  const auto v = version_text(in.driver);
  return v.empty() ? "unknown" : v;
}

std::string best_name(const audit::DeviceAudit& a) {
  if (a.best) return a.best->entry.inf_name;
  if (!a.kernel_modules.empty()) return "module " + a.kernel_modules.front();
  return "";
}

std::string best_version(const audit::DeviceAudit& a) { return a.best ? a.best->entry.version.to_string() : "-"; }

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
               : std::string("Linux kernel drivers; no modules.alias was read, so kernel modules were not checked");
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
}  // namespace

std::map<std::string, std::size_t> verdict_counts(const AuditReport& report) {
  std::map<std::string, std::size_t> counts;
  for (auto v : audit::kAllVerdicts) counts[std::string(audit::verdict_name(v))] = 0;
  for (const auto& a : report.devices) ++counts[std::string(audit::verdict_name(a.verdict))];
  return counts;
}

std::size_t attention_count(const AuditReport& report) {
  std::size_t n = 0;
  for (const auto& a : report.devices) n += audit::needs_attention(a) ? 1 : 0;
  return n;
}

namespace {
std::string summary_words(const AuditReport& report) {
  std::string out;
  for (const auto& [verdict, count] : verdict_counts(report)) {
    if (!count) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(count) + " " + words_of(verdict);
  }
  if (out.empty()) return "no devices";
  if (const auto n = attention_count(report))
    out += "; " + std::to_string(n) + (n == 1 ? " needs attention" : " need attention");
  return out;
}

ordered_json coverage_json(const audit::Coverage& c) {
  return {{"checked", c.checked},
          {"sections", c.sections},
          {"sections_for_target", c.sections_for_target},
          {"modules_alias", c.modules_alias},
          {"problem", c.problem.empty() ? ordered_json(nullptr) : ordered_json(c.problem)}};
}

ordered_json device_json(const audit::DeviceAudit& a, const MachineInfo& machine) {
  ordered_json d;
  d["machine"] = machine.hostname;
  d["instance_id"] = a.device.instance_id;
  d["description"] = a.device.description;
  d["class"] = a.device.class_name;
  d["verdict"] = audit::verdict_name(a.verdict);
  d["reason"] = a.reason;
  d["problem_code"] = a.device.problem_code;
  d["attention"] = a.attention.empty() ? ordered_json(nullptr) : ordered_json(a.attention);
  d["needs_attention"] = audit::needs_attention(a);
  if (a.installed.present) {
    const auto& drv = a.installed.driver;
    d["installed"] = {{"inf", drv.inf},
                      {"provider", drv.provider},
                      {"version", drv.version},
                      {"built_into_kernel", version_text(drv) != drv.version},
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
  return d;
}

}  // namespace

ordered_json audit_document(const AuditReport& report) {
  ordered_json doc;
  doc["schema"] = "drvaudit-audit/3";
  doc["tool_version"] = kToolVersion;
  doc["machine"] = {{"hostname", report.machine.hostname},       {"os", report.machine.os},
                    {"os_version", report.machine.os_version},   {"arch", arch_shown(report.machine.arch)},
                    {"captured_at", report.machine.captured_at}, {"source", report.machine.source}};
  doc["platform"] = audit::platform_name(report.platform);
  doc["target"] = {{"version", std::to_string(report.target.major) + "." + std::to_string(report.target.minor) + "." +
                                   std::to_string(report.target.build)},
                   {"arch", report.target.arch},
                   {"product_type", inf::product_type_name(report.target.product_type)},
                   {"source", report.target_source == audit::TargetSource::machine          ? "machine"
                              : report.target_source == audit::TargetSource::override_given ? "given"
                                                                                            : "assumed"}};
  doc["coverage"] = coverage_json(report.coverage);
  doc["warnings"] = report.warnings;
  doc["summary"] = verdict_counts(report);
  doc["needs_attention"] = attention_count(report);
  doc["devices"] = ordered_json::array();
  for (const auto& a : report.devices) doc["devices"].push_back(device_json(a, report.machine));
  return doc;
}

table::Cell verdict_cell(const audit::DeviceAudit& a) {
  using table::Color;
  if (audit::needs_attention(a)) {
    return {a.device.problem_code ? problem_codes::brief(a.device.problem_code) : "no driver", Color::red};
  }
  switch (a.verdict) {
    case audit::Verdict::up_to_date: return {"up to date", Color::green};
    case audit::Verdict::update_available: return {"update available", Color::yellow};
    case audit::Verdict::better_match: return {"better match", Color::yellow};
    case audit::Verdict::possible_update: return {"possible update", Color::yellow};
    case audit::Verdict::missing_driver: return {"missing driver", Color::red};
    case audit::Verdict::no_catalog_data: break;
  }
  return {"no catalog data"};
}

std::string audit_table(const std::vector<AuditReport>& reports, const table::Layout& layout) {
  using table::Fit;
  const bool many = reports.size() > 1;
  std::vector<table::Column> columns;
  if (many) columns.push_back({"MACHINE", Fit::shrink, 8, 0});
  const std::vector<table::Column> common = {{"DEVICE", Fit::shrink, 20, 0, 10}, {"VERDICT", Fit::wrap, 16, 0},
                                             {"DRIVER", Fit::shrink, 8, 1},      {"INSTALLED", Fit::wrap, 13, 0},
                                             {"BEST", Fit::whole, 0, 0},         {"BEST INF", Fit::shrink, 8, 2},
                                             {"CLASS", Fit::whole, 0, 3}};
  columns.insert(columns.end(), common.begin(), common.end());
  std::vector<std::vector<table::Cell>> rows;
  for (const auto& report : reports) {
    for (const auto& a : report.devices) {
      std::vector<table::Cell> row;
      if (many) row.emplace_back(report.machine.hostname);
      row.emplace_back(a.device.description);
      row.push_back(verdict_cell(a));
      row.emplace_back(installed_name(a.installed));
      row.emplace_back(installed_version(a.installed));
      row.emplace_back(best_version(a));
      row.emplace_back(best_name(a));
      row.emplace_back(a.device.class_name);
      rows.push_back(std::move(row));
    }
  }
  std::string out = table::render(columns, rows, layout);
  out += "\n";
  for (const auto& report : reports) {
    const std::string who = many ? text::escape_control(report.machine.hostname) + ": " : "";
    const std::string indent = many ? "  " : "";
    out += who + summary_words(report) + "\n" + indent + target_words(report) + "\n";
    for (const auto& w : report.warnings) out += indent + "warning: " + text::escape_control(w) + "\n";
  }
  return out;
}

std::string audit_json(const std::vector<AuditReport>& reports) {
  if (reports.size() == 1) return json_text(audit_document(reports.front()));
  ordered_json doc;
  doc["schema"] = "drvaudit-audits/1";
  doc["tool_version"] = kToolVersion;
  doc["audits"] = ordered_json::array();
  for (const auto& r : reports) doc["audits"].push_back(audit_document(r));
  return json_text(std::move(doc));
}

std::string audit_csv(const std::vector<AuditReport>& reports, bool excel) {
  csv::Writer w({.byte_order_mark = excel});
  w.row({"machine",
         "captured_at",
         "tool_version",
         "description",
         "class",
         "instance_id",
         "verdict",
         "installed_inf_or_module",
         "installed_version",
         "installed_date",
         "installed_rank",
         "best_inf",
         "best_version",
         "best_date",
         "best_rank",
         "best_matched_id",
         "best_signature",
         "problem_code",
         "attention",
         "reason"});
  for (const auto& report : reports) {
    for (const auto& a : report.devices) {
      const auto& in = a.installed;
      const auto& drv = in.driver;
      w.row({report.machine.hostname,
             report.machine.captured_at,
             kToolVersion,
             a.device.description,
             a.device.class_name,
             a.device.instance_id,
             std::string(audit::verdict_name(a.verdict)),
             in.present ? installed_name(in) : "",
             in.present ? version_text(drv) : "",
             drv.date.to_iso(),
             in.rank ? rank::hex(*in.rank) : "",
             a.best ? a.best->entry.inf_name : (a.kernel_modules.empty() ? "" : a.kernel_modules.front()),
             a.best ? a.best->entry.version.to_string() : "",
             a.best ? a.best->entry.date.to_iso() : "",
             a.best ? rank::hex(a.best->value()) : "",
             a.best ? a.best->rank.identifier.device_id : "",
             a.best ? std::string(inf::signature_status_name(a.best->entry.signature.status)) : "",
             a.device.problem_code ? std::to_string(a.device.problem_code) : "",
             a.attention,
             a.reason});
    }
  }
  return w.text();
}

}  // namespace drvaudit::render
