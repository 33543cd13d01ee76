#pragma once

#include <string>

#include "fleet/connection.hpp"
#include "ui-cli/render/table.hpp"

// The fleet's answers as the user reads them: a table, JSON (drvaudit-fleet/1 for one view,
// drvaudit-fleet-report/1 for the report), CSV, and the self-contained HTML fleet report.
namespace drvaudit::render {

struct FleetView {
  std::string name;   // machines, updates, versions, regressions, diff
  std::string as_of;  // the time the view answers for
  fleet::ResultTable table;
};

struct FleetReport {
  std::string as_of, since, database;
  fleet::ResultTable totals, machines, updates, regressions;
};

std::string fleet_view_table(const FleetView& view, const table::Layout& layout);
std::string fleet_view_json(const FleetView& view);
std::string fleet_view_csv(const FleetView& view);

std::string fleet_report_table(const FleetReport& report, const table::Layout& layout);
std::string fleet_report_json(const FleetReport& report);
std::string fleet_report_csv(const FleetReport& report);  // the machines, one row each
std::string fleet_report_html(const FleetReport& report);

}  // namespace drvaudit::render
