#include "ui-cli/render/html_report.hpp"

#include <array>

#include "catalog/explain.hpp"
#include "common/arch.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"
#include "common/version.hpp"
#include "ui-cli/render/audit_render.hpp"
#include "ui-cli/render/history_render.hpp"

namespace drvaudit::render {

namespace {
// Sorting and filtering, attached by the script itself: the policy allows no inline handlers.
constexpr const char* kScript = R"js(
(function () {
  var table = document.getElementById('devices');
  var filter = document.getElementById('filter');
  var verdict = document.getElementById('verdict');
  var shown = document.getElementById('shown');
  var bodies = function () { return Array.prototype.slice.call(table.querySelectorAll('tbody.device')); };
  function apply() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var n = 0;
    bodies().forEach(function (b) {
      var text = b.getAttribute('data-search');
      var ok = (verdict.value === '' || b.getAttribute('data-verdict') === verdict.value) &&
               words.every(function (w) { return text.indexOf(w) >= 0; });
      b.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  filter.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  var heads = table.querySelectorAll('thead th');
  Array.prototype.forEach.call(heads, function (th, column) {
    th.addEventListener('click', function () {
      var down = th.getAttribute('aria-sort') === 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
      var key = function (b) { return b.rows[0].cells[column].getAttribute('data-key') || b.rows[0].cells[column].textContent; };
      var sorted = bodies().sort(function (x, y) {
        var c = key(x).localeCompare(key(y), undefined, { numeric: true, sensitivity: 'base' });
        return down ? -c : c;
      });
      sorted.forEach(function (b) { table.appendChild(b); });
    });
  });
  apply();
})();
)js";

constexpr const char* kStyle = R"css(
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #555; margin: 0 0 16px; } .meta span { margin-right: 18px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f3f3; position: sticky; top: 0; }
#devices th { cursor: pointer; user-select: none; }
#devices th[aria-sort=ascending]::after { content: " \25B2"; } #devices th[aria-sort=descending]::after { content: " \25BC"; }
.v { font-weight: 600; white-space: nowrap; }
.up_to_date { color: #1a7f37; } .update_available, .better_match, .possible_update { color: #9a6700; }
.missing_driver, .attention, .regression { color: #c62828; } .no_catalog_data { color: #666; }
.ver { font-family: ui-monospace, Consolas, monospace; white-space: nowrap; }
tr.explain td { border-bottom: 1px solid #ddd; padding-top: 0; }
details pre { white-space: pre-wrap; background: #fafafa; border: 1px solid #eee; padding: 8px; margin: 4px 0; }
.controls { margin: 8px 0; } .controls input { width: 24em; padding: 3px 6px; }
.none { color: #555; font-style: italic; }
.warn { color: #9a6700; }
@media print {
  .controls { display: none; } th { position: static; } body { margin: 0; }
  details > pre { display: block; } tbody.device[hidden] { display: table-row-group !important; }
}
)css";

constexpr std::array<const char*, 6> kBarColours = {"#1a7f37", "#d4a72c", "#d4a72c", "#e3b341", "#c62828", "#9e9e9e"};

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (const auto rest = bytes.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string h(std::string_view s) { return html_escape(s); }

std::string installed_version(const audit::DeviceAudit& a) {
  if (!a.installed.present) return "-";
  const auto v = version_text(a.installed.driver);
  return v.empty() ? "unknown" : v;
}

std::string installed_name(const audit::DeviceAudit& a) {
  if (!a.installed.present) return "-";
  const auto& d = a.installed.driver;
  return d.inf.empty() ? (d.module.empty() ? d.service : d.module) : d.inf;
}

// The verdict chart: one bar per verdict, scaled to the largest count.
std::string chart(const audit::MachineAudit& report) {
  const auto counts = verdict_counts(report);
  std::size_t largest = 1;
  for (const auto& [v, n] : counts) largest = std::max(largest, n);
  const int row = 26, label = 150, bar_max = 360;
  std::string svg = "<svg id=\"chart\" role=\"img\" aria-label=\"devices per verdict\" width=\"" +
                    std::to_string(label + bar_max + 60) + "\" height=\"" + std::to_string(row * 6 + 4) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\">";
  int y = 2;
  for (std::size_t i = 0; i < std::size(audit::kAllVerdicts); ++i) {
    const std::string name(audit::verdict_name(audit::kAllVerdicts[i]));
    const std::size_t n = counts.at(name);
    const int width = static_cast<int>(n * static_cast<std::size_t>(bar_max) / largest);
    svg += "<g class=\"bar\" data-verdict=\"" + name + "\" data-count=\"" + std::to_string(n) + "\">";
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 16) + "\" font-size=\"13\">" + words_of(name) + "</text>";
    svg += "<rect x=\"" + std::to_string(label) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(std::max(width, n ? 2 : 0)) + "\" height=\"18\" fill=\"" + kBarColours[i] + "\"/>";
    svg += "<text x=\"" + std::to_string(label + width + 6) + "\" y=\"" + std::to_string(y + 16) +
           "\" font-size=\"13\">" + std::to_string(n) + "</text></g>";
    y += row;
  }
  return svg + "</svg>";
}

std::string diff_section(const HtmlReportContext& context) {
  std::string out = "<section id=\"changes\"><h2>Changes since the last run</h2>";
  if (!context.diff)
    return out +
           "<p class=\"none\">This is the first stored run of this machine: nothing to compare with yet.</p></section>";
  const auto& diff = *context.diff;
  out += "<p class=\"meta\">run " + std::to_string(diff.from_run) + " (" + h(diff.from_at) + ") → " +
         (diff.to_run ? "run " + std::to_string(diff.to_run) : std::string("this audit")) + " (" + h(diff.to_at) +
         "): <strong>" + std::to_string(diff.changes.size()) + "</strong> changes, <strong id=\"regressions\">" +
         std::to_string(diff.regressions()) + "</strong> regressions</p>";
  if (diff.changes.empty()) return out + "<p class=\"none\">No changes.</p></section>";
  out +=
      "<table id=\"diff\"><thead><tr><th>Change</th><th>Device</th><th>Before</th><th>After</th></tr></thead><tbody>";
  for (const auto& c : diff.changes) {
    out += "<tr class=\"change" + std::string(c.regression ? " regression" : "") + "\" data-change=\"" +
           std::string(history::change_kind_name(c.kind)) + "\"><td class=\"v\">" +
           words_of(std::string(history::change_kind_name(c.kind))) + (c.regression ? " (regression)" : "") +
           "</td><td>" + h(c.description.empty() ? c.instance_id : c.description) + "</td><td class=\"ver\">" +
           h(c.before) + "</td><td class=\"ver\">" + h(c.after) + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

std::string device_rows(const audit::MachineAudit& report) {
  std::string out;
  for (const auto& a : report.devices) {
    const std::string verdict(audit::verdict_name(a.verdict));
    const bool attention = audit::needs_attention(a);
    const std::string shown = verdict_cell(a).text;
    const std::string search = text::to_lower(a.device.description + " " + a.device.class_name + " " +
                                              a.device.instance_id + " " + installed_name(a) + " " + shown);
    out += "<tbody class=\"device\" data-verdict=\"" + verdict + "\" data-search=\"" + h(search) + "\">";
    out +=
        "<tr class=\"row\"><td>" + h(a.device.description.empty() ? a.device.instance_id : a.device.description) +
        "</td><td>" + h(a.device.class_name) + "</td><td class=\"v " +
        (attention ? std::string("attention") : verdict) + "\">" + h(shown) + "</td><td>" + h(installed_name(a)) +
        "</td><td class=\"ver\">" + h(installed_version(a)) + "</td><td class=\"ver\" data-key=\"" +
        h(a.installed.present ? a.installed.driver.date.to_iso() : "") + "\">" +
        h(a.installed.present && !a.installed.driver.date.to_iso().empty() ? a.installed.driver.date.to_iso() : "-") +
        "</td><td class=\"ver\">" + h(a.best ? a.best->entry.version.to_string() : "-") + "</td><td>" +
        h(a.best ? a.best->entry.inf_name : "") + "</td></tr>";
    if (audit::is_actionable(a.verdict) || a.verdict == audit::Verdict::possible_update || attention) {
      out += "<tr class=\"explain\"><td colspan=\"8\"><details><summary>Why: " + h(a.reason) + "</summary><pre>" +
             h(audit::explain(a)) + "</pre></details></td></tr>";
    }
    out += "</tbody>";
  }
  return out;
}
}  // namespace

std::string html_escape(std::string_view text) { return text::xml_escape(text::escape_control(text)); }

std::string html_report(const audit::MachineAudit& report, const HtmlReportContext& context) {
  const auto& m = report.machine;
  const std::string script_hash = base64(hash::sha256_digest(kScript));
  const auto counts = verdict_counts(report);
  std::string out;
  out.reserve(4096 + report.devices.size() * 600);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:; script-src 'sha256-" +
      script_hash + "'\">";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<meta name=\"generator\" content=\"drvaudit " + std::string(kToolVersion) + "\">";
  out += "<title>Driver audit: " + h(m.hostname) + " " + h(m.captured_at) + "</title><style>" + kStyle +
         "</style></head><body>";
  out += "<header><h1>Driver audit of <span id=\"machine\">" + h(m.hostname) + "</span></h1><p class=\"meta\">";
  out += "<span>" + h(m.os) + " " + h(m.os_version) + " " + h(arch_shown(m.arch)) + "</span>";
  out += "<span>devices read " + h(m.captured_at) + "</span>";
  if (context.run_id) out += "<span>history run " + std::to_string(context.run_id) + "</span>";
  out += "<span>catalog: " + std::to_string(report.catalog.packages) + " packages from " +
         std::to_string(report.catalog.sources) + (report.catalog.sources == 1 ? " source" : " sources") + "</span>";
  out += "<span>drvaudit " + std::string(kToolVersion) + "</span></p>";
  if (!report.coverage.checked) out += "<p class=\"warn\">" + h(report.coverage.problem) + "</p>";
  for (const auto& w : report.warnings) out += "<p class=\"warn\">warning: " + h(w) + "</p>";
  out += "</header>";
  out += "<section id=\"summary\"><h2>Summary</h2><p><strong id=\"device-count\">" +
         std::to_string(report.devices.size()) + "</strong> devices; <strong id=\"attention-count\">" +
         std::to_string(attention_count(report)) + "</strong> need attention.</p><dl hidden>";
  for (const auto& [verdict, n] : counts)
    out += "<dt>" + verdict + "</dt><dd data-verdict=\"" + verdict + "\">" + std::to_string(n) + "</dd>";
  out += "</dl>" + chart(report) + "</section>";
  out += diff_section(context);
  out +=
      "<section><h2>Devices</h2><div class=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" "
      "placeholder=\"name, class, driver…\"></label> <label>Verdict <select id=\"verdict\"><option value=\"\">all"
      "</option>";
  for (auto v : audit::kAllVerdicts) {
    const std::string name(audit::verdict_name(v));
    out += "<option value=\"" + name + "\">" + words_of(name) + "</option>";
  }
  out += "</select></label> <span><span id=\"shown\">" + std::to_string(report.devices.size()) +
         "</span> shown</span></div>";
  out +=
      "<table id=\"devices\"><thead><tr><th>Device</th><th>Class</th><th>Verdict</th><th>Driver</th>"
      "<th>Installed</th><th>Date</th><th>Best</th><th>Best INF</th></tr></thead>";
  out += device_rows(report);
  out += "</table></section>";
  out += std::string("<script>") + kScript + "</script></body></html>\n";
  return out;
}

}  // namespace drvaudit::render
