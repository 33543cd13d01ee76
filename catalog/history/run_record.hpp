#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "catalog/machine_audit.hpp"

// One audit as the history keeps it: the machine, the catalog it was checked against, and each
// device with its driver and verdict. Only what a later run is compared with, so that a 400-device
// run stays small on disk (the weekly audit keeps two years of them).
namespace drvaudit::history {

struct DeviceRecord {
  std::string instance_id;
  std::string description;
  std::string class_name;
  std::uint32_t problem_code = 0;
  bool present = true;
  bool has_driver = false;
  std::string provider, version, date, inf, section, module;
  std::string verdict;  // audit::verdict_name
  std::string best_inf, best_version, best_date;
  std::string attention;

  friend bool operator==(const DeviceRecord&, const DeviceRecord&) = default;
};

struct RunRecord {
  std::int64_t id = 0;      // assigned by the store
  std::string recorded_at;  // ISO 8601 UTC, when the run was stored
  std::string captured_at;  // when the devices were read
  std::string machine;      // host name
  std::string os, os_version, arch;
  std::string trigger;  // "audit" or "schedule"
  std::string tool_version;
  std::string catalog;                          // JSON: the catalog's counts and the audit's coverage
  int exit_code = -1;                           // the run's exit code; -1 while unknown
  std::map<std::string, std::int64_t> summary;  // verdict name → devices
  std::int64_t attention = 0;                   // devices that need attention
  std::vector<DeviceRecord> devices;            // empty in listings
  std::int64_t device_count = 0;
};

// The record of one machine's audit. `trigger` says what ran it.
RunRecord record_of(const audit::MachineAudit& audit, const std::string& trigger);

// The verdict a record names; no_catalog_data for names an older drvaudit may have written.
audit::Verdict verdict_of(const std::string& name);

}  // namespace drvaudit::history
