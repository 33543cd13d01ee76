#include "ui-cli/render/repair_render.hpp"

#include "common/text.hpp"
#include "common/version.hpp"
#include "ui-cli/render/json_output.hpp"

namespace drvaudit::render {

namespace {
using table::Cell;
using table::Column;
using table::Fit;

table::Color status_color(repair::CheckStatus s) {
  switch (s) {
    case repair::CheckStatus::ok: return table::Color::green;
    case repair::CheckStatus::problem: return table::Color::red;
    case repair::CheckStatus::unknown: return table::Color::yellow;
  }
  return table::Color::none;
}

std::string fix_of(const repair::Check& c) {
  if (!c.step.empty()) return "--step " + c.step + (c.advice.empty() ? "" : "; " + c.advice);
  return c.advice;
}
}  // namespace

std::string diagnosis_table(const repair::Diagnosis& d, const std::string& machine, const table::Layout& layout) {
  std::vector<Column> columns{{"CHECK", Fit::shrink, 12, 0, 10},
                              {"STATUS", Fit::whole, 7},
                              {"EVIDENCE", Fit::wrap, 24},
                              {"FIX", Fit::wrap, 12, 1}};
  std::vector<std::vector<Cell>> rows;
  for (const auto& c : d.checks)
    rows.push_back({c.title, Cell(std::string(repair::check_status_name(c.status)), status_color(c.status)), c.evidence,
                    fix_of(c)});
  std::string out = "Windows Update diagnosis of " + text::escape_control(machine) + "\n";
  out += table::render(columns, rows, layout);
  if (!d.windows)
    out +=
        "The Windows checks (services, SoftwareDistribution, catroot2, policy, update errors) do not apply on Linux.\n";
  const auto steps = d.needed_steps();
  if (d.windows && steps.empty()) {
    out += d.any_problem() ? "No drvaudit repair step addresses these problems: see FIX.\n"
                           : "Nothing for drvaudit to repair.\n";
  } else if (d.windows) {
    out +=
        "To repair: drvaudit repair windows-update (runs " + text::join(steps, ", ") + "; --dry-run shows the plan)\n";
  }
  return out;
}

std::string diagnosis_json(const repair::Diagnosis& d, const std::string& machine) {
  nlohmann::ordered_json doc;
  doc["schema"] = "drvaudit-repair-diagnosis/1";
  doc["tool_version"] = kToolVersion;
  doc["machine"] = machine;
  doc["windows_checks"] = d.windows;
  doc["ntp_server"] = d.ntp_server;
  doc["checks"] = nlohmann::ordered_json::array();
  for (const auto& c : d.checks) {
    nlohmann::ordered_json j;
    j["id"] = c.id;
    j["title"] = c.title;
    j["status"] = repair::check_status_name(c.status);
    j["evidence"] = c.evidence;
    j["step"] = c.step.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.step);
    j["advice"] = c.advice;
    j["facts"] = c.facts;
    doc["checks"].push_back(std::move(j));
  }
  doc["needed_steps"] = d.needed_steps();
  doc["driver_offers"] = nlohmann::ordered_json::array();
  for (const auto& o : d.driver_search.offers)
    doc["driver_offers"].push_back({{"title", o.title},
                                    {"hardware_id", o.hardware_id},
                                    {"provider", o.provider},
                                    {"manufacturer", o.manufacturer},
                                    {"model", o.model},
                                    {"class", o.driver_class},
                                    {"date", o.date}});
  return json_text(std::move(doc));
}

std::string repair_plan_text(const repair::RepairPlan& plan, const std::vector<std::string>& names) {
  std::string out = "repair: " + (names.empty() ? std::string("nothing") : text::join(names, ", ")) + "\n";
  for (std::size_t i = 0; i < plan.steps.size(); ++i)
    out += "  " + std::to_string(i + 1) + ". " + text::escape_control(plan.steps[i].description) + "\n";
  for (const auto& n : plan.notes) out += "  note: " + text::escape_control(n) + "\n";
  return out;
}

}  // namespace drvaudit::render
