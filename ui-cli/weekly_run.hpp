#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/history/run_diff.hpp"
#include "catalog/machine_audit.hpp"
#include "ui-cli/app_context.hpp"

// The weekly audit (`schedule run`) and the history every audit of this machine feeds: store the
// run, compare it with the machine's previous run, write the reports, prune old runs with their
// reports. The audit itself is the library's (catalog/machine_audit); this is the use case around it.
namespace drvaudit::weekly {

struct StoredRun {
  std::int64_t id = 0;
  std::string recorded_at;
  std::optional<history::RunDiff> diff;  // nullopt for the machine's first stored run
};

// Stores the audit in history.db and diffs it against the machine's previous run; keeps the
// machine's newest `keep` runs and deletes the report files of the runs it drops.
StoredRun store_audit(const AppContext& context, const audit::MachineAudit& audit, const std::string& trigger,
                      int keep);

struct ReportRequest {
  std::filesystem::path dir;
  std::vector<std::string> formats;  // csv, json, html
};
inline const std::vector<std::string> kReportFormats = {"csv", "json", "html"};

// Writes the reports of one stored run: <machine>-<date>.json (drvaudit-report/1: audit, inventory
// and diff), -devices.csv, -verdicts.csv, -changes.csv and .html. Returns the files written.
std::vector<std::filesystem::path> write_reports(const ReportRequest& request, const Inventory& inventory,
                                                 const audit::MachineAudit& audit, const StoredRun& run);

// Records the run's report files (pruned with it) and its exit code in the history.
void finish_run(const AppContext& context, std::int64_t run, int exit_code,
                const std::vector<std::filesystem::path>& reports);

// The report's base name: the machine name made safe for any file system, and the UTC time.
std::string report_base_name(const std::string& machine, const std::string& recorded_at);

// The last `schedule run`'s outcome (schedule-last-run.json in the state folder), for `schedule status`.
struct LastRun {
  std::string at;
  int exit_code = -1;
  std::int64_t run_id = 0;
  std::string message;
};
void save_last_run(const AppContext& context, const LastRun& last);
std::optional<LastRun> load_last_run(const AppContext& context);

}  // namespace drvaudit::weekly
