#include "ui-cli/render/fleet_render.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "common/version.hpp"
#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/history_render.hpp"
#include "ui-cli/render/html_report.hpp"
#include "ui-cli/render/json_output.hpp"

namespace drvaudit::render {

using nlohmann::ordered_json;

namespace {
std::string cell_text(const fleet::Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}

ordered_json cell_json(const fleet::Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return std::get<std::int64_t>(v);
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return nullptr;
}

ordered_json rows_json(const fleet::ResultTable& t) {
  ordered_json rows = ordered_json::array();
  for (const auto& row : t.rows) {
    ordered_json r = ordered_json::object();
    for (std::size_t i = 0; i < t.columns.size(); ++i) r[t.columns[i]] = cell_json(row[i]);
    rows.push_back(std::move(r));
  }
  return rows;
}

// Names and descriptions may be cut; numbers, versions and dates never.
table::Fit fit_of(const std::string& column) {
  static constexpr const char* kShrink[] = {"machine", "description", "instance_id", "provider",
                                            "package", "os",          "inf"};
  for (const char* s : kShrink) {
    if (column == s) return table::Fit::shrink;
  }
  if (column == "before" || column == "after") return table::Fit::wrap;
  return table::Fit::whole;
}

std::string title_of(const std::string& column) { return text::to_upper(words_of(column)); }

std::string plain_table(const fleet::ResultTable& t, const table::Layout& layout) {
  std::vector<table::Column> columns;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const auto fit = fit_of(t.columns[i]);
    columns.push_back({title_of(t.columns[i]), fit, fit == table::Fit::whole ? 0 : 10, 0});
  }
  std::vector<std::vector<table::Cell>> rows;
  for (const auto& row : t.rows) {
    std::vector<table::Cell> cells;
    for (const auto& v : row) cells.emplace_back(cell_text(v));
    rows.push_back(std::move(cells));
  }
  return table::render(columns, rows, layout);
}

std::string csv_of(const fleet::ResultTable& t) {
  csv::Writer w;
  w.row(t.columns);
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(cell_text(v));
    w.row(cells);
  }
  return w.text();
}

std::int64_t total(const fleet::ResultTable& t, const std::string& column) {
  if (t.rows.empty()) return 0;
  const auto it = std::find(t.columns.begin(), t.columns.end(), column);
  if (it == t.columns.end()) return 0;
  return fleet::as_int(t.rows.front()[static_cast<std::size_t>(it - t.columns.begin())]);
}

std::string none_line(const char* what) { return std::string("  (") + what + ")\n"; }

std::string html_table(const fleet::ResultTable& t, const char* id, const char* empty) {
  if (t.rows.empty()) return std::string("<p class=\"none\">") + empty + "</p>";
  std::string out = std::string("<table id=\"") + id + "\"><thead><tr>";
  for (const auto& c : t.columns) out += "<th>" + html_escape(words_of(c)) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (const auto& v : row) out += "<td>" + html_escape(cell_text(v)) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

constexpr const char* kVerdictColumns[] = {"up_to_date",      "update_available", "better_match",
                                           "possible_update", "missing_driver",   "no_catalog_data"};
constexpr const char* kVerdictColours[] = {"#1a7f37", "#d4a72c", "#d4a72c", "#e3b341", "#c62828", "#9e9e9e"};

// Machines × verdicts: one row per machine, one cell per verdict, its shade by the share of devices.
std::string overview(const fleet::ResultTable& machines) {
  const auto col = [&](const char* name) {
    return static_cast<std::size_t>(std::find(machines.columns.begin(), machines.columns.end(), name) -
                                    machines.columns.begin());
  };
  std::string out = "<table id=\"overview\"><thead><tr><th>Machine</th><th>Last report</th>";
  for (const char* v : kVerdictColumns) out += "<th>" + words_of(v) + "</th>";
  out += "<th>Needs attention</th></tr></thead><tbody>";
  for (const auto& row : machines.rows) {
    const bool stale = cell_text(row[col("stale")]) == "1";
    const auto devices = std::max<std::int64_t>(1, std::get<std::int64_t>(row[col("devices")]));
    out += "<tr class=\"machine" + std::string(stale ? " stale" : "") + "\"><td>" +
           html_escape(cell_text(row[col("machine")])) + "</td><td>" + html_escape(cell_text(row[col("last_report")])) +
           (stale ? " <strong>(missed its weekly run)</strong>" : "") + "</td>";
    for (std::size_t i = 0; i < std::size(kVerdictColumns); ++i) {
      const auto n = std::get<std::int64_t>(row[col(kVerdictColumns[i])]);
      const auto alpha = static_cast<std::uint32_t>(n ? 40 + 200 * n / devices : 0);  // the share, as opacity
      out += "<td class=\"n\" data-verdict=\"" + std::string(kVerdictColumns[i]) +
             "\" style=\"background:" + kVerdictColours[i] + text::hex(alpha, 2) + "\">" + std::to_string(n) + "</td>";
    }
    out += "<td class=\"n\">" + cell_text(row[col("needs_attention")]) + "</td></tr>";
  }
  return out + "</tbody></table>";
}

constexpr const char* kFleetStyle = R"css(
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #555; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
td { overflow-wrap: anywhere; }
tr.stale td:first-child { color: #c62828; font-weight: 600; } .none { color: #555; font-style: italic; }
.totals span { display: inline-block; margin-right: 20px; } .totals strong { font-size: 18px; }
)css";
}  // namespace

std::string fleet_view_table(const FleetView& view, const table::Layout& layout) {
  if (view.table.rows.empty()) return "nothing to show\n";
  return plain_table(view.table, layout) + "\n" + std::to_string(view.table.rows.size()) + " rows\n";
}

std::string fleet_view_json(const FleetView& view) {
  ordered_json doc;
  doc["schema"] = "drvaudit-fleet/1";
  doc["tool_version"] = kToolVersion;
  doc["view"] = view.name;
  doc["as_of"] = view.as_of;
  doc["columns"] = view.table.columns;
  doc["rows"] = rows_json(view.table);
  return json_text(std::move(doc));
}

std::string fleet_view_csv(const FleetView& view) { return csv_of(view.table); }

std::string fleet_report_table(const FleetReport& r, const table::Layout& layout) {
  std::string out = "fleet in " + text::escape_control(r.database) + ", as of " + r.as_of + "\n";
  out += std::to_string(total(r.totals, "machines")) + " machines (" + std::to_string(total(r.totals, "stale")) +
         " missed their weekly run), " + std::to_string(total(r.totals, "devices")) + " devices; " +
         std::to_string(total(r.totals, "machines_with_updates")) + " machines with updates\n";
  std::string verdicts;
  for (const char* v : kVerdictColumns)
    verdicts += (verdicts.empty() ? "" : ", ") + std::to_string(total(r.totals, v)) + " " + words_of(v);
  out += verdicts + "; " + std::to_string(total(r.totals, "needs_attention")) + " need attention\n";
  out += "\nMachines\n" + (r.machines.rows.empty() ? none_line("none") : plain_table(r.machines, layout));
  out += "\nUpdates waiting\n" + (r.updates.rows.empty() ? none_line("none") : plain_table(r.updates, layout));
  out += "\nRegressions since " + r.since + "\n" +
         (r.regressions.rows.empty() ? none_line("none") : plain_table(r.regressions, layout));
  return out;
}

std::string fleet_report_json(const FleetReport& r) {
  ordered_json doc;
  doc["schema"] = "drvaudit-fleet-report/1";
  doc["tool_version"] = kToolVersion;
  doc["as_of"] = r.as_of;
  doc["since"] = r.since;
  const auto totals = rows_json(r.totals);
  doc["totals"] = totals.empty() ? ordered_json::object() : totals.front();
  doc["machines"] = rows_json(r.machines);
  doc["updates"] = rows_json(r.updates);
  doc["regressions"] = rows_json(r.regressions);
  return json_text(std::move(doc));
}

std::string fleet_report_csv(const FleetReport& r) { return csv_of(r.machines); }

std::string fleet_report_html(const FleetReport& r) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";
  out += "<meta name=\"generator\" content=\"drvaudit " + std::string(kToolVersion) + "\">";
  out +=
      "<title>Driver fleet report " + html_escape(r.as_of) + "</title><style>" + kFleetStyle + "</style></head><body>";
  out += "<h1>Driver fleet report</h1><p class=\"meta\">as of " + html_escape(r.as_of) + "; regressions since " +
         html_escape(r.since) + "; drvaudit " + kToolVersion + "</p>";
  out += "<p class=\"totals\">";
  for (const char* t : {"machines", "stale", "machines_with_updates", "devices", "needs_attention"})
    out += "<span id=\"total-" + std::string(t) + "\"><strong>" + std::to_string(total(r.totals, t)) + "</strong> " +
           words_of(t) + "</span>";
  out += "</p><h2>Machines × verdicts</h2>" + overview(r.machines);
  out += "<h2>Updates waiting</h2>" + html_table(r.updates, "updates", "No machine is waiting for an update.");
  out += "<h2>Regressions since " + html_escape(r.since) + "</h2>" +
         html_table(r.regressions, "regressions", "No driver went backwards and no new problem code appeared.");
  return out + "</body></html>\n";
}

}  // namespace drvaudit::render
