#include "ui-cli/weekly_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalog/history/history_store.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/read_file.hpp"
#include "common/version.hpp"
#include "scanner/snapshot.hpp"
#include "ui-cli/render/audit_render.hpp"
#include "ui-cli/render/history_render.hpp"
#include "ui-cli/render/html_report.hpp"
#include "ui-cli/render/inventory_render.hpp"
#include "ui-cli/render/json_output.hpp"

namespace drvaudit::weekly {

namespace {
std::filesystem::path last_run_file(const AppContext& context) {
  return context.state_dir() / "schedule-last-run.json";
}
}  // namespace

StoredRun store_audit(const AppContext& context, const audit::MachineAudit& audit, const std::string& trigger,
                      int keep) {
  history::Store store(context.history_file());
  auto record = history::record_of(audit, trigger);
  StoredRun out;
  out.id = store.add(record);
  out.recorded_at = record.recorded_at;
  record.id = out.id;
  if (const auto previous = store.previous(out.id)) out.diff = history::diff_runs(*previous, record);
  for (const auto& file : store.prune(record.machine, keep)) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) spdlog::warn("cannot remove the old report {}: {}", file.string(), ec.message());
  }
  return out;
}

std::string report_base_name(const std::string& machine, const std::string& recorded_at) {
  std::string name;
  for (char c : machine) {
    const bool safe =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    name += safe ? c : '_';
  }
  if (name.empty() || name.front() == '.') name = "machine" + name;
  std::string stamp;  // 2026-12-06T03:00:12Z → 20261206-030012
  for (char c : recorded_at) {
    if (c >= '0' && c <= '9') stamp += c;
    if (c == 'T') stamp += '-';
  }
  return "drvaudit-" + name + "-" + stamp;
}

std::vector<std::filesystem::path> write_reports(const ReportRequest& request, const Inventory& inventory,
                                                 const audit::MachineAudit& audit, const StoredRun& run) {
  make_folders(request.dir, kModeFolder);
  // The run's id too: two runs within one second must not share files.
  const std::string base = report_base_name(audit.machine.hostname, run.recorded_at) + "-run" + std::to_string(run.id);
  const auto wants = [&](const char* f) {
    return std::find(request.formats.begin(), request.formats.end(), f) != request.formats.end();
  };
  std::vector<std::filesystem::path> written;
  const auto write = [&](const std::string& suffix, const std::string& content) {
    const auto file = request.dir / (base + suffix);
    write_file_atomically(file, content, kModeReport);
    written.push_back(file);
  };
  if (wants("json")) {
    nlohmann::ordered_json doc;
    doc["schema"] = "drvaudit-report/1";
    doc["tool_version"] = kToolVersion;
    doc["machine"] = audit.machine.hostname;
    doc["run"] = {{"id", run.id}, {"recorded_at", run.recorded_at}};
    doc["audit"] = render::audit_document(audit);
    doc["inventory"] = snapshot::to_json(inventory);
    doc["diff"] = run.diff ? render::diff_document(*run.diff, audit.machine.hostname) : nlohmann::ordered_json(nullptr);
    write(".json", render::json_text(std::move(doc), render::JsonLayout::compact));
  }
  if (wants("csv")) {
    write("-devices.csv", render::inventory_csv({inventory}, false));
    write("-verdicts.csv", render::audit_csv({audit}, false));
    write("-changes.csv", render::diff_csv(run.diff ? *run.diff : history::RunDiff{}, audit.machine.hostname));
  }
  if (wants("html")) write(".html", render::html_report(audit, {run.diff, run.id}));
  return written;
}

void finish_run(const AppContext& context, std::int64_t run, int exit_code,
                const std::vector<std::filesystem::path>& reports) {
  history::Store store(context.history_file());
  for (const auto& file : reports) store.add_report(run, std::filesystem::absolute(file));
  store.set_exit_code(run, exit_code);
}

void save_last_run(const AppContext& context, const LastRun& last) {
  const nlohmann::json doc{
      {"at", last.at}, {"exit_code", last.exit_code}, {"run", last.run_id}, {"message", last.message}};
  write_file_atomically(last_run_file(context), render::json_text(nlohmann::ordered_json(doc)), kModePrivate);
}

std::optional<LastRun> load_last_run(const AppContext& context) {
  std::error_code ec;
  if (!std::filesystem::exists(last_run_file(context), ec)) return std::nullopt;
  const auto doc = nlohmann::json::parse(read_whole_file(last_run_file(context)), nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  LastRun last;
  last.at = doc.value("at", "");
  last.exit_code = doc.value("exit_code", -1);
  last.run_id = doc.value("run", std::int64_t{0});
  last.message = doc.value("message", "");
  return last;
}

}  // namespace drvaudit::weekly
