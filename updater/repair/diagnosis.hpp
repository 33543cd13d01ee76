#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "updater/repair/repair_system.hpp"

// `repair diagnose`: what is wrong with Windows Update on this machine, one check a row, each with
// its evidence and the repair step that fixes it. Read-only: nothing here changes the system.
namespace drvaudit::repair {

// The repair steps, in the order the usual advice gives them (and the order they run).
inline const std::vector<std::string> kRepairSteps{"clock",    "services",       "software-distribution",
                                                   "catroot2", "troubleshooter", "allow-os-upgrade"};

enum class CheckStatus { ok, problem, unknown };
std::string_view check_status_name(CheckStatus s);

struct Check {
  std::string id;     // clock, service:wuauserv, software-distribution, ...
  std::string title;  // in words
  CheckStatus status = CheckStatus::unknown;
  std::string evidence;
  std::string step;    // the repair step that fixes a problem ("" when none of drvaudit's does)
  std::string advice;  // what to do otherwise
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();  // the measured values, for JSON
};

struct DiagnoseOptions {
  std::optional<std::string> ntp_server;  // default: W32Time's configured peer, else time.windows.com
  std::chrono::milliseconds ntp_timeout{3000};
  double max_clock_offset_seconds = 60;
  std::uint64_t min_free_bytes = 10ULL << 30;  // feature updates need about 10 GB
  bool search_windows_update = true;
};

struct Diagnosis {
  bool windows = true;  // false on Linux: only the clock is checked
  std::string ntp_server;
  std::vector<Check> checks;
  DriverSearch driver_search;  // the WUA driver search, also a catalog source
  // The steps the problems call for, in kRepairSteps order. allow-os-upgrade is never among them:
  // it changes a setting, and runs only when named.
  std::vector<std::string> needed_steps() const;
  bool any_problem() const;
};

Diagnosis diagnose(RepairSystem& system, const DiagnoseOptions& options);

// W32Time's first configured peer ("time.windows.com,0x9 pool.ntp.org,0x1" -> "time.windows.com"),
// from HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters\NtpServer.
std::optional<std::string> w32time_peer(RepairSystem& system);

// The services Windows Update depends on, and their Windows defaults (for the services step).
struct UpdateService {
  const char* name;
  const char* role;
  StartType default_start;
};
inline constexpr UpdateService kUpdateServices[] = {
    {"wuauserv", "Windows Update", StartType::demand},
    {"bits", "Background Intelligent Transfer Service", StartType::demand},
    {"cryptsvc", "Cryptographic Services", StartType::automatic},
};

inline constexpr const char* kOsUpgradeKey =
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\OSUpgrade";
inline constexpr const char* kAllowOsUpgrade = "AllowOSUpgrade";

// Folder size in bytes (files below it), and the part under Download\.
struct FolderSize {
  bool present = false;
  std::uint64_t bytes = 0, files = 0;
};
FolderSize folder_size(const std::filesystem::path& folder);

// Earlier drvaudit backups next to `folder` (name.drvaudit-*), oldest first.
std::vector<std::filesystem::path> backups_of(const std::filesystem::path& folder);

}  // namespace drvaudit::repair
