#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// One machine's weekly report (drvaudit-report/1, written by `schedule run`) as the fleet keeps it:
// the run, each device with its hardware IDs, installed driver and verdict, and the changes since
// the machine's previous run. The fleet reads the report JSON only, never the other modules' types
// (DESIGN.md §2), so that reports from any drvaudit version of that schema can be ingested.
namespace drvaudit::fleet {

struct FleetDevice {
  std::string instance_id, description, class_name;
  std::vector<std::string> hardware_ids;  // hardware then compatible IDs, upper case, most specific first
  std::int64_t problem_code = 0;
  bool has_driver = false;
  std::string provider, version, date, inf;
  std::string verdict;
  std::string best_inf, best_version, best_date, best_provider;
};

struct FleetChange {
  std::string change, instance_id, description, before, after;
  bool regression = false;
};

struct FleetReport {
  std::string machine;
  std::int64_t run = 0;     // the run's id in the machine's own history
  std::string recorded_at;  // ISO 8601 UTC
  std::string captured_at, os, os_version, arch, tool_version;
  std::map<std::string, std::int64_t> summary;  // verdict → devices
  std::int64_t attention = 0;
  std::vector<FleetDevice> devices;
  bool has_diff = false;  // false for a machine's first run
  std::vector<FleetChange> changes;
};

inline constexpr std::string_view kVerdicts[] = {"up_to_date",      "update_available", "better_match",
                                                 "possible_update", "missing_driver",   "no_catalog_data"};
// A report is data from a machine someone else controls: its size and contents are bounded
// (docs/security.md). Reports of 400 devices are about 0.8 MB.
inline constexpr std::uint64_t kDefaultMaxReportSize = 64ull << 20;  // fleet ingest --max-report-size
inline constexpr std::size_t kMaxReportDevices = 100'000;
inline constexpr std::size_t kMaxReportChanges = 100'000;

// The verdicts that mean "a machine would take an update" (the audit's exit code 10).
bool is_actionable(std::string_view verdict);

// Parses and checks a report: the schema name, every member the fleet stores with its type, and
// the counts that must agree (the summary with the devices). Throws ParseError saying what is wrong
// and where ("audit.devices[12].verdict: not a verdict").
FleetReport read_report(std::string_view json);

}  // namespace drvaudit::fleet
