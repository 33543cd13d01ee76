#include "ui-cli/render/history_render.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "common/version.hpp"
#include "scanner/problem_codes.hpp"
#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/json_output.hpp"

namespace drvaudit::render {

using nlohmann::ordered_json;

namespace {
std::string counts_words(const history::RunRecord& run) {
  std::string out;
  for (const auto& [verdict, count] : run.summary) {
    if (count) out += (out.empty() ? "" : ", ") + std::to_string(count) + " " + words_of(verdict);
  }
  if (run.attention) out += (out.empty() ? "" : "; ") + std::to_string(run.attention) + " need attention";
  return out.empty() ? "no devices" : out;
}

std::string exit_words(int code) { return code < 0 ? "" : std::to_string(code); }

ordered_json run_json_value(const history::RunRecord& run) {
  ordered_json r;
  r["id"] = run.id;
  r["recorded_at"] = run.recorded_at;
  r["captured_at"] = run.captured_at;
  r["machine"] = run.machine;
  r["os"] = run.os;
  r["os_version"] = run.os_version;
  r["arch"] = run.arch;
  r["trigger"] = run.trigger;
  r["tool_version"] = run.tool_version;
  r["exit_code"] = run.exit_code < 0 ? ordered_json(nullptr) : ordered_json(run.exit_code);
  r["devices"] = run.device_count;
  r["summary"] = run.summary;
  r["needs_attention"] = run.attention;
  const auto catalog = ordered_json::parse(run.catalog, nullptr, false);
  r["catalog"] = catalog.is_object() ? catalog : ordered_json::object();
  return r;
}

std::string driver_name(const history::DeviceRecord& d) {
  if (!d.has_driver) return "-";
  return d.inf.empty() ? d.module : d.inf;
}

table::Cell verdict_cell(const history::DeviceRecord& d) {
  using table::Color;
  if (!d.attention.empty()) return {d.problem_code ? problem_codes::brief(d.problem_code) : "no driver", Color::red};
  const std::string words = words_of(d.verdict);
  if (d.verdict == "up_to_date") return {words, Color::green};
  if (d.verdict == "missing_driver") return {words, Color::red};
  if (d.verdict == "no_catalog_data") return {words};
  return {words, Color::yellow};
}

table::Cell change_cell(const history::Change& c) {
  std::string words = words_of(std::string(history::change_kind_name(c.kind)));
  return {words, c.regression ? table::Color::red : table::Color::none};
}
}  // namespace

std::string words_of(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string runs_table(const std::vector<history::RunRecord>& runs, const table::Layout& layout) {
  using table::Fit;
  if (runs.empty()) return "no audits stored yet: `drvaudit audit` and `drvaudit schedule run` store each run\n";
  const std::vector<table::Column> columns = {{"ID", Fit::whole, 0, 0},       {"RECORDED", Fit::whole, 0, 0},
                                              {"MACHINE", Fit::shrink, 8, 0}, {"BY", Fit::whole, 0, 2},
                                              {"DEVICES", Fit::whole, 0, 1},  {"EXIT", Fit::whole, 0, 3},
                                              {"VERDICTS", Fit::wrap, 20, 0}};
  std::vector<std::vector<table::Cell>> rows;
  for (const auto& r : runs) {
    rows.push_back({std::to_string(r.id), r.recorded_at, r.machine, r.trigger, std::to_string(r.device_count),
                    exit_words(r.exit_code), counts_words(r)});
  }
  return table::render(columns, rows, layout);
}

std::string runs_json(const std::vector<history::RunRecord>& runs) {
  ordered_json doc;
  doc["schema"] = "drvaudit-history-runs/1";
  doc["tool_version"] = kToolVersion;
  doc["runs"] = ordered_json::array();
  for (const auto& r : runs) doc["runs"].push_back(run_json_value(r));
  return json_text(std::move(doc));
}

std::string runs_csv(const std::vector<history::RunRecord>& runs) {
  csv::Writer w;
  std::vector<std::string> header = {"id",           "recorded_at", "captured_at", "machine",        "trigger",
                                     "tool_version", "exit_code",   "devices",     "needs_attention"};
  for (auto v : audit::kAllVerdicts) header.emplace_back(audit::verdict_name(v));
  w.row(header);
  for (const auto& r : runs) {
    std::vector<std::string> row = {std::to_string(r.id),
                                    r.recorded_at,
                                    r.captured_at,
                                    r.machine,
                                    r.trigger,
                                    r.tool_version,
                                    exit_words(r.exit_code),
                                    std::to_string(r.device_count),
                                    std::to_string(r.attention)};
    for (auto v : audit::kAllVerdicts) {
      const auto it = r.summary.find(std::string(audit::verdict_name(v)));
      row.push_back(std::to_string(it == r.summary.end() ? 0 : it->second));
    }
    w.row(row);
  }
  return w.text();
}

std::string run_table(const history::RunRecord& run, const table::Layout& layout) {
  using table::Fit;
  const std::vector<table::Column> columns = {{"DEVICE", Fit::shrink, 20, 0, 10}, {"VERDICT", Fit::wrap, 16, 0},
                                              {"DRIVER", Fit::shrink, 8, 1},      {"INSTALLED", Fit::wrap, 13, 0},
                                              {"DATE", Fit::whole, 0, 2},         {"BEST", Fit::whole, 0, 0},
                                              {"CLASS", Fit::whole, 0, 3}};
  std::vector<std::vector<table::Cell>> rows;
  for (const auto& d : run.devices) {
    rows.push_back({d.description.empty() ? d.instance_id : d.description, verdict_cell(d), driver_name(d),
                    d.has_driver ? (d.version.empty() ? "unknown" : d.version) : "-", d.date.empty() ? "-" : d.date,
                    d.best_version.empty() ? "-" : d.best_version, d.class_name});
  }
  std::string out = "run " + std::to_string(run.id) + " of " + text::escape_control(run.machine) + ", recorded " +
                    run.recorded_at + " (" + run.trigger + ")\n\n";
  out += table::render(columns, rows, layout);
  out += "\n" + counts_words(run) + "\n";
  return out;
}

std::string run_json(const history::RunRecord& run) {
  ordered_json doc;
  doc["schema"] = "drvaudit-history-run/1";
  doc["tool_version"] = kToolVersion;
  doc["run"] = run_json_value(run);
  doc["devices"] = ordered_json::array();
  for (const auto& d : run.devices) {
    doc["devices"].push_back(
        {{"instance_id", d.instance_id},
         {"description", d.description},
         {"class", d.class_name},
         {"problem_code", d.problem_code},
         {"present", d.present},
         {"driver", d.has_driver ? ordered_json{{"provider", d.provider},
                                                {"version", d.version},
                                                {"date", d.date},
                                                {"inf", d.inf},
                                                {"section", d.section},
                                                {"module", d.module}}
                                 : ordered_json(nullptr)},
         {"verdict", d.verdict},
         {"best", d.best_version.empty()
                      ? ordered_json(nullptr)
                      : ordered_json{{"inf", d.best_inf}, {"version", d.best_version}, {"date", d.best_date}}},
         {"attention", d.attention.empty() ? ordered_json(nullptr) : ordered_json(d.attention)}});
  }
  return json_text(std::move(doc));
}

std::string run_csv(const history::RunRecord& run) {
  csv::Writer w;
  w.row({"run", "machine", "recorded_at", "instance_id", "description", "class", "problem_code", "driver_provider",
         "driver_version", "driver_date", "driver_inf_or_module", "verdict", "best_inf", "best_version", "best_date",
         "attention"});
  for (const auto& d : run.devices) {
    w.row({std::to_string(run.id), run.machine, run.recorded_at, d.instance_id, d.description, d.class_name,
           d.problem_code ? std::to_string(d.problem_code) : "", d.provider, d.version, d.date,
           d.has_driver ? driver_name(d) : "", d.verdict, d.best_inf, d.best_version, d.best_date, d.attention});
  }
  return w.text();
}

std::string diff_table(const history::RunDiff& diff, const std::string& machine, const table::Layout& layout) {
  using table::Fit;
  std::string out = text::escape_control(machine) + ": run " + std::to_string(diff.from_run) + " (" + diff.from_at +
                    ") → run " + (diff.to_run ? std::to_string(diff.to_run) : std::string("now")) + " (" + diff.to_at +
                    ")\n";
  if (diff.changes.empty()) return out + "no changes\n";
  const std::vector<table::Column> columns = {{"CHANGE", Fit::wrap, 12, 0},
                                              {"DEVICE", Fit::shrink, 20, 0, 10},
                                              {"BEFORE", Fit::wrap, 13, 0},
                                              {"AFTER", Fit::wrap, 13, 0}};
  std::vector<std::vector<table::Cell>> rows;
  for (const auto& c : diff.changes) {
    rows.push_back({change_cell(c), c.description.empty() ? c.instance_id : c.description,
                    c.before.empty() ? "-" : c.before, c.after.empty() ? "-" : c.after});
  }
  out += "\n" + table::render(columns, rows, layout);
  const auto regressions = diff.regressions();
  out += "\n" + std::to_string(diff.changes.size()) + (diff.changes.size() == 1 ? " change" : " changes") + ", " +
         std::to_string(regressions) + (regressions == 1 ? " regression" : " regressions") + "\n";
  return out;
}

ordered_json diff_document(const history::RunDiff& diff, const std::string& machine) {
  ordered_json doc;
  doc["schema"] = "drvaudit-history-diff/1";
  doc["tool_version"] = kToolVersion;
  doc["machine"] = machine;
  doc["from"] = {{"run", diff.from_run}, {"at", diff.from_at}};
  doc["to"] = {{"run", diff.to_run ? ordered_json(diff.to_run) : ordered_json(nullptr)}, {"at", diff.to_at}};
  doc["regressions"] = diff.regressions();
  doc["changes"] = ordered_json::array();
  for (const auto& c : diff.changes) {
    doc["changes"].push_back({{"change", history::change_kind_name(c.kind)},
                              {"instance_id", c.instance_id},
                              {"description", c.description},
                              {"before", c.before},
                              {"after", c.after},
                              {"regression", c.regression}});
  }
  return doc;
}

std::string diff_json(const history::RunDiff& diff, const std::string& machine) {
  return json_text(diff_document(diff, machine));
}

std::string diff_csv(const history::RunDiff& diff, const std::string& machine) {
  csv::Writer w;
  w.row({"machine", "from_run", "to_run", "change", "regression", "instance_id", "description", "before", "after"});
  for (const auto& c : diff.changes) {
    w.row({machine, std::to_string(diff.from_run), diff.to_run ? std::to_string(diff.to_run) : "",
           std::string(history::change_kind_name(c.kind)), c.regression ? "yes" : "no", c.instance_id, c.description,
           c.before, c.after});
  }
  return w.text();
}

}  // namespace drvaudit::render
