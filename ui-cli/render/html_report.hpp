#pragma once

#include <optional>
#include <string>

#include "catalog/history/run_diff.hpp"
#include "catalog/machine_audit.hpp"

// The machine report as one self-contained HTML page (`schedule run`, `export --html`): machine
// summary, a verdict chart in inline SVG, what changed since the last run first, a sortable and
// filterable device table with each actionable verdict's explanation folded under its row. No
// external asset; a Content-Security-Policy that allows no fetch at all and only the page's own
// script (by its SHA-256), so even a string that escaped escaping could not run. Every string from
// a device, an INF or a snapshot is escaped.
namespace drvaudit::render {

struct HtmlReportContext {
  std::optional<history::RunDiff> diff;  // nullopt: no earlier run to compare with
  std::int64_t run_id = 0;               // 0: not stored in the history
};

std::string html_report(const audit::MachineAudit& report, const HtmlReportContext& context);

// Text made safe for HTML element content and quoted attribute values; control characters are
// shown escaped (\x1b) as in text output.
std::string html_escape(std::string_view text);

}  // namespace drvaudit::render
