#include "ui-cli/render/update_render.hpp"

#include "common/text.hpp"
#include "common/version.hpp"
#include "ui-cli/render/json_output.hpp"

namespace drvaudit::render {

namespace {
using table::Cell;
using table::Color;
using table::Column;
using table::Fit;

Color state_color(updater::StepState s) {
  switch (s) {
    case updater::StepState::done: return Color::green;
    case updater::StepState::failed: return Color::red;
    case updater::StepState::undone:
    case updater::StepState::started: return Color::yellow;
    default: return Color::none;
  }
}

Color operation_color(updater::OperationState s) {
  switch (s) {
    case updater::OperationState::done: return Color::green;
    case updater::OperationState::rolled_back: return Color::yellow;
    default: return Color::red;
  }
}

std::string installed_text(const audit::DeviceAudit& a) {
  if (!a.installed.present) return "no driver";
  std::string s = a.installed.driver.inf;
  if (!a.installed.driver.version.empty()) s += " " + a.installed.driver.version;
  if (!a.installed.driver.date.is_zero()) s += " (" + a.installed.driver.date.to_iso() + ")";
  return s;
}

nlohmann::ordered_json steps_json(const std::vector<updater::PlannedStep>& steps) {
  auto out = nlohmann::ordered_json::array();
  int seq = 0;
  for (const auto& s : steps) out.push_back({{"seq", ++seq}, {"kind", s.kind}, {"description", s.description}});
  return out;
}

nlohmann::ordered_json step_records_json(const std::vector<updater::StepRecord>& steps) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& s : steps) {
    out.push_back({{"seq", s.seq},
                   {"kind", s.kind},
                   {"description", s.description},
                   {"state", updater::step_state_name(s.state)},
                   {"evidence", s.evidence},
                   {"reboot_required", s.reboot_required},
                   {"started_at", s.started_at},
                   {"finished_at", s.finished_at}});
  }
  return out;
}

nlohmann::ordered_json operation_header(const updater::OperationRecord& op) {
  return {{"id", op.id},
          {"kind", op.kind},
          {"command", op.command},
          {"state", updater::operation_state_name(op.state)},
          {"started_at", op.started_at},
          {"finished_at", op.finished_at},
          {"message", op.message}};
}

std::string steps_table(const std::vector<updater::StepRecord>& steps, const table::Layout& layout) {
  std::vector<Column> columns{
      {"#", Fit::whole, 2}, {"STEP", Fit::wrap, 20}, {"STATE", Fit::whole, 6}, {"EVIDENCE", Fit::wrap, 20}};
  std::vector<std::vector<Cell>> rows;
  for (const auto& s : steps) {
    rows.push_back({std::to_string(s.seq), s.description,
                    Cell(std::string(updater::step_state_name(s.state)), state_color(s.state)), s.evidence});
  }
  return table::render(columns, rows, layout);
}
}  // namespace

std::string update_table(const UpdateReport& r, const table::Layout& layout) {
  std::string out;
  if (r.plan) {
    std::vector<Column> columns{{"DEVICE", Fit::shrink, 16},     {"VERDICT", Fit::wrap, 8},
                                {"INSTALLED", Fit::wrap, 12},    {"PACKAGE", Fit::wrap, 12},
                                {"VERSION", Fit::whole, 7},      {"DATE", Fit::whole, 10},
                                {"SIGNATURE", Fit::wrap, 10, 2}, {"SOURCE", Fit::shrink, 10, 1}};
    std::vector<std::vector<Cell>> rows;
    for (const auto& d : r.plan->devices) {
      const auto& e = d.chosen.entry;
      rows.push_back({d.audit.device.description.empty() ? d.audit.device.instance_id : d.audit.device.description,
                      std::string(audit::verdict_name(d.audit.verdict)), installed_text(d.audit),
                      e.inf_name + " [" + e.ddinstall_section + "]" + (d.force ? " (forced)" : ""),
                      e.version.to_string(), e.date.to_iso(),
                      std::string(inf::signature_status_name(e.signature.status)), e.source});
    }
    if (!rows.empty()) out += table::render(columns, rows, layout);
    for (const auto& s : r.plan->skipped) {
      out += "not updated: " +
             text::escape_control(s.device.description.empty() ? s.device.instance_id : s.device.description) + ": " +
             text::escape_control(s.why) + "\n";
    }
  }
  if (r.packages) {
    for (const auto& p : *r.packages) {
      if (p.ready) continue;
      out += "refused: " + text::escape_control(p.device.empty() ? p.instance_id : p.device) + ": " +
             text::escape_control(p.why) + "\n";
    }
  }
  if (r.operation) {
    out += "\noperation " + std::to_string(r.operation->id) + ": " +
           std::string(updater::operation_state_name(r.operation->state)) + " — " +
           text::escape_control(r.operation->message) + "\n";
    out += steps_table(r.operation->steps, layout);
  } else if (!r.steps.empty()) {
    out += r.dry_run ? "\ndry run: these steps would run (nothing was changed)\n" : "\nsteps:\n";
    int seq = 0;
    for (const auto& s : r.steps)
      out += "  " + std::to_string(++seq) + ". " + text::escape_control(s.description) + "\n";
  }
  if (!r.stage_dir.empty()) out += "staged in " + text::escape_control(r.stage_dir) + " (manifest.json)\n";
  if (out.empty()) out = "nothing to update\n";
  return out;
}

std::string update_json(const UpdateReport& r) {
  nlohmann::ordered_json doc{{"schema", "drvaudit-update/1"},
                             {"tool_version", kToolVersion},
                             {"machine", r.machine},
                             {"mode", r.mode},
                             {"dry_run", r.dry_run},
                             {"devices", nlohmann::ordered_json::array()},
                             {"skipped", nlohmann::ordered_json::array()},
                             {"refused", nlohmann::ordered_json::array()},
                             {"steps", steps_json(r.steps)}};
  if (r.plan) {
    for (const auto& d : r.plan->devices) {
      const auto& e = d.chosen.entry;
      const auto& i = d.audit.installed;
      doc["devices"].push_back({{"instance_id", d.audit.device.instance_id},
                                {"description", d.audit.device.description},
                                {"verdict", audit::verdict_name(d.audit.verdict)},
                                {"installed",
                                 {{"present", i.present},
                                  {"inf", i.driver.inf},
                                  {"section", i.driver.section},
                                  {"version", i.driver.version},
                                  {"date", i.driver.date.to_iso()},
                                  {"provider", i.driver.provider}}},
                                {"package",
                                 {{"source", e.source},
                                  {"source_kind", e.source_kind},
                                  {"inf", e.inf_name},
                                  {"path", e.path},
                                  {"section", e.ddinstall_section},
                                  {"version", e.version.to_string()},
                                  {"date", e.date.to_iso()},
                                  {"rank", rank::hex(d.chosen.value())},
                                  {"size", e.location.size},
                                  {"signature", inf::signature_status_name(e.signature.status)}}},
                                {"force", d.force}});
    }
    for (const auto& s : r.plan->skipped) {
      doc["skipped"].push_back({{"instance_id", s.device.instance_id},
                                {"description", s.device.description},
                                {"verdict", audit::verdict_name(s.verdict)},
                                {"why", s.why}});
    }
  }
  if (r.packages) {
    for (const auto& p : *r.packages) {
      if (!p.ready)
        doc["refused"].push_back({{"instance_id", p.instance_id}, {"description", p.device}, {"why", p.why}});
    }
  }
  if (r.operation) {
    auto op = operation_header(*r.operation);
    op["reboot_required"] = r.operation->reboot_required();
    op["steps"] = step_records_json(r.operation->steps);
    doc["operation"] = op;
  }
  if (!r.stage_dir.empty()) doc["stage_dir"] = r.stage_dir;
  return json_text(doc);
}

std::string journal_list_table(const std::vector<updater::OperationRecord>& ops, const table::Layout& layout) {
  if (ops.empty()) return "the journal is empty: drvaudit has changed nothing on this system\n";
  std::vector<Column> columns{{"ID", Fit::whole, 2},       {"KIND", Fit::whole, 6},    {"STATE", Fit::whole, 6},
                              {"STARTED", Fit::whole, 20}, {"MESSAGE", Fit::wrap, 20}, {"COMMAND", Fit::shrink, 12, 1}};
  std::vector<std::vector<Cell>> rows;
  for (const auto& op : ops) {
    rows.push_back({std::to_string(op.id), op.kind,
                    Cell(std::string(updater::operation_state_name(op.state)), operation_color(op.state)),
                    op.started_at, op.message, op.command});
  }
  return table::render(columns, rows, layout);
}

std::string journal_list_json(const std::vector<updater::OperationRecord>& ops) {
  nlohmann::ordered_json doc{{"schema", "drvaudit-journal/1"},
                             {"tool_version", kToolVersion},
                             {"operations", nlohmann::ordered_json::array()}};
  for (const auto& op : ops) doc["operations"].push_back(operation_header(op));
  return json_text(doc);
}

std::string operation_table(const updater::OperationRecord& op, const table::Layout& layout) {
  std::string out = "operation " + std::to_string(op.id) + " (" + op.kind +
                    "): " + std::string(updater::operation_state_name(op.state)) + "\n";
  out += "  command:  " + text::escape_control(op.command) + "\n";
  out += "  started:  " + op.started_at + "\n";
  if (!op.finished_at.empty()) out += "  finished: " + op.finished_at + "\n";
  if (!op.message.empty()) out += "  outcome:  " + text::escape_control(op.message) + "\n";
  return out + steps_table(op.steps, layout);
}

std::string operation_json(const updater::OperationRecord& op) {
  auto o = operation_header(op);
  o["reboot_required"] = op.reboot_required();
  o["steps"] = step_records_json(op.steps);
  nlohmann::ordered_json doc{{"schema", "drvaudit-operation/1"}, {"tool_version", kToolVersion}, {"operation", o}};
  return json_text(doc);
}

}  // namespace drvaudit::render
