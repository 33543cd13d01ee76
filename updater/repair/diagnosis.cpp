#include "updater/repair/diagnosis.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common/sntp.hpp"
#include "common/text.hpp"
#include "updater/repair/update_errors.hpp"

namespace drvaudit::repair {

namespace {
constexpr const char* kDefaultNtpServer = "time.windows.com";
constexpr const char* kW32TimeParameters = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters";
constexpr const char* kPolicyKey = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";

std::string path_text(const std::filesystem::path& p) {
  const auto u8 = p.u8string();
  return std::string(u8.begin(), u8.end());
}

std::string size_text(std::uint64_t bytes) {
  if (bytes >= (1ULL << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1ULL << 30));
  if (bytes >= (1ULL << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1ULL << 20));
  if (bytes >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return std::to_string(bytes) + " bytes";
}

Check clock_check(const std::string& server, const DiagnoseOptions& options) {
  Check c{"clock", "Clock against an Internet time server", CheckStatus::unknown, "", "", "", {}};
  const auto m = sntp::query(server, options.ntp_timeout);
  c.facts["server"] = m.server;
  c.facts["status"] = sntp::status_name(m.status);
  if (m.status != sntp::Status::ok) {
    c.evidence = "not measured: " + m.server + ": " + m.detail;
    c.advice = "check the network, or name a reachable server with --ntp-server HOST[:PORT]";
    c.facts["offset_seconds"] = nullptr;
    return c;
  }
  c.facts["offset_seconds"] = m.offset_seconds;
  c.facts["delay_seconds"] = m.delay_seconds;
  c.facts["stratum"] = m.stratum;
  const std::string off = fmt::format("{:.3f} s", std::fabs(m.offset_seconds));
  const std::string direction = m.offset_seconds > 0 ? "behind" : "ahead of";
  if (std::fabs(m.offset_seconds) > options.max_clock_offset_seconds) {
    c.status = CheckStatus::problem;
    c.evidence = "this clock is " + off + " " + direction + " " + m.server +
                 " (secure connections and Windows Update fail beyond a few minutes)";
    c.step = "clock";
  } else {
    c.status = CheckStatus::ok;
    c.evidence = "this clock is " + off + " " + direction + " " + m.server + " (round trip " +
                 fmt::format("{:.0f} ms", m.delay_seconds * 1000) + ", stratum " + std::to_string(m.stratum) + ")";
  }
  return c;
}

std::string service_text(const ServiceInfo& s) {
  return std::string(service_state_name(s.state)) + ", start type " + std::string(start_type_name(s.start_type));
}

Check service_check(RepairSystem& system, const UpdateService& wanted) {
  Check c{std::string("service:") + wanted.name,
          std::string(wanted.role) + " service (" + wanted.name + ")",
          CheckStatus::ok,
          "",
          "",
          "",
          {}};
  const auto s = system.service(wanted.name);
  c.facts["present"] = s.has_value();
  if (!s) {
    c.status = CheckStatus::problem;
    c.evidence = std::string(wanted.name) + " is not installed";
    c.advice = "repair Windows itself: DISM /Online /Cleanup-Image /RestoreHealth, then sfc /scannow";
    return c;
  }
  c.facts["start_type"] = start_type_name(s->start_type);
  c.facts["state"] = service_state_name(s->state);
  c.evidence = service_text(*s);
  if (s->start_type == StartType::disabled) {
    c.status = CheckStatus::problem;
    c.evidence += ": Windows Update cannot start it (error 0x80070422)";
    c.step = "services";
  }
  return c;
}

Check folder_check(const std::string& id, const std::string& title, const std::filesystem::path& folder,
                   const std::string& download_part, const std::vector<const RecordedUpdateError*>& pointing,
                   bool errors_known) {
  Check c{id, title, CheckStatus::ok, "", "", "", {}};
  const auto size = folder_size(folder);
  const auto backups = backups_of(folder);
  c.facts["path"] = path_text(folder);
  c.facts["present"] = size.present;
  c.facts["bytes"] = size.bytes;
  c.facts["files"] = size.files;
  c.facts["backups"] = nlohmann::ordered_json::array();
  for (const auto& b : backups) c.facts["backups"].push_back(path_text(b.filename()));
  if (!size.present) {
    c.evidence = path_text(folder) + " is not there (Windows creates it again)";
  } else {
    c.evidence = path_text(folder) + ": " + size_text(size.bytes) + " in " + std::to_string(size.files) + " files";
    if (!download_part.empty()) {
      const auto pending = folder_size(folder / download_part);
      c.facts["pending_download_bytes"] = pending.bytes;
      if (pending.files) c.evidence += ", " + size_text(pending.bytes) + " of downloads pending";
    }
  }
  if (!backups.empty())
    c.evidence += "; " + std::to_string(backups.size()) + " earlier drvaudit backup" + (backups.size() > 1 ? "s" : "") +
                  " (" + path_text(backups.back().filename()) + (backups.size() > 1 ? ", ..." : "") + ")";
  if (!pointing.empty()) {
    c.status = CheckStatus::problem;
    c.evidence += "; the OS recorded " + hresult_text(pointing.front()->code) + " (" +
                  std::string(explain_update_error(pointing.front()->code)->meaning) + ")";
    c.step = id;
  } else if (!errors_known) {
    c.status = CheckStatus::unknown;
    c.evidence += "; whether it is damaged is not known (the OS's update errors could not be read)";
  }
  return c;
}

Check pending_reboot_check(RepairSystem& system) {
  Check c{"pending-reboot", "Restart pending", CheckStatus::ok, "", "", "", {}};
  std::vector<std::string> reasons;
  if (system.registry_key_exists(
          "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending"))
    reasons.push_back("Component Based Servicing\\RebootPending");
  if (system.registry_key_exists(
          "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"))
    reasons.push_back("WindowsUpdate\\Auto Update\\RebootRequired");
  if (system.registry_value("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager", "PendingFileRenameOperations"))
    reasons.push_back("Session Manager\\PendingFileRenameOperations");
  c.facts["reasons"] = reasons;
  if (reasons.empty()) {
    c.evidence = "no restart pending";
  } else {
    c.status = CheckStatus::problem;
    c.evidence = "a restart is pending: " + text::join(reasons, ", ");
    c.advice = "restart Windows before anything else: updates wait for it";
  }
  return c;
}

Check free_space_check(RepairSystem& system, const DiagnoseOptions& options) {
  Check c{"free-space", "Free space on the system drive", CheckStatus::unknown, "", "", "", {}};
  std::error_code ec;
  const auto folder = system.windows_folder();
  const auto space = std::filesystem::space(folder, ec);
  if (ec) {
    c.evidence = "not known: " + ec.message();
    return c;
  }
  c.facts["available_bytes"] = space.available;
  c.evidence = size_text(space.available) + " free on the drive of " + path_text(folder);
  if (space.available < options.min_free_bytes) {
    c.status = CheckStatus::problem;
    c.evidence += " (Windows Update needs about " + size_text(options.min_free_bytes) + ")";
    c.advice = "free space: Disk Cleanup, 'Clean up system files', 'Windows Update Cleanup'";
  } else {
    c.status = CheckStatus::ok;
  }
  return c;
}

Check proxy_check(RepairSystem& system) {
  Check c{"winhttp-proxy", "WinHTTP proxy (used by Windows Update)", CheckStatus::ok, "", "", "", {}};
  const auto p = system.winhttp_proxy();
  if (!p.known) {
    c.status = CheckStatus::unknown;
    c.evidence = "the WinHTTP proxy setting could not be read";
    return c;
  }
  c.facts["direct"] = p.direct;
  c.facts["proxy"] = p.proxy;
  c.facts["bypass"] = p.bypass;
  c.evidence = p.direct ? "direct access (no proxy)"
                        : "proxy " + p.proxy + (p.bypass.empty() ? "" : ", bypass " + p.bypass) +
                              " (reported, never changed: it must let Windows Update through)";
  return c;
}

Check policy_check(RepairSystem& system) {
  Check c{"policy", "Windows Update policy (WSUS, Group Policy)", CheckStatus::ok, "", "", "", {}};
  std::vector<std::string> seen;
  const auto text_of = [&](const std::string& key, const std::string& name) -> std::optional<std::string> {
    const auto v = system.registry_value(key, name);
    if (!v) return std::nullopt;
    if (const auto d = v->as_dword()) return std::to_string(*d);
    return v->as_text();
  };
  const std::string au = std::string(kPolicyKey) + "\\AU";
  const auto server = text_of(kPolicyKey, "WUServer");
  const auto use_server = text_of(au, "UseWUServer");
  const auto disable_access = text_of(kPolicyKey, "DisableWindowsUpdateAccess");
  const auto no_internet = text_of(kPolicyKey, "DoNotConnectToWindowsUpdateInternetLocations");
  const auto no_auto = text_of(au, "NoAutoUpdate");
  if (server) c.facts["WUServer"] = *server;
  if (use_server) c.facts["UseWUServer"] = *use_server;
  if (disable_access) c.facts["DisableWindowsUpdateAccess"] = *disable_access;
  if (no_internet) c.facts["DoNotConnectToWindowsUpdateInternetLocations"] = *no_internet;
  if (no_auto) c.facts["NoAutoUpdate"] = *no_auto;
  if (server && use_server == "1") seen.push_back("updates come from the WSUS server " + *server);
  if (no_internet == "1") seen.push_back("Windows Update's Internet servers are blocked by policy");
  if (no_auto == "1") seen.push_back("automatic updates are off by policy");
  if (disable_access == "1") {
    c.status = CheckStatus::problem;
    seen.push_back("access to Windows Update is disabled by policy");
    c.advice = "the policy is your administrator's: drvaudit never changes policy keys";
  }
  c.evidence = seen.empty() ? "no Windows Update policy is set" : text::join(seen, "; ") + " (reported, never changed)";
  return c;
}

Check os_upgrade_check(RepairSystem& system, const std::vector<RecordedUpdateError>& errors) {
  Check c{"os-upgrade", "Windows upgrades allowed (AllowOSUpgrade)", CheckStatus::ok, "", "", "", {}};
  const auto v = system.registry_value(kOsUpgradeKey, kAllowOsUpgrade);
  std::uint32_t allowed = 0;
  const bool is_dword = v && v->as_dword();
  if (is_dword) allowed = *v->as_dword();
  c.facts["AllowOSUpgrade"] = is_dword ? nlohmann::ordered_json(allowed) : nlohmann::ordered_json(nullptr);
  c.evidence = v ? (is_dword ? "AllowOSUpgrade is " + std::to_string(allowed) : "AllowOSUpgrade is set but not a DWORD")
                 : "AllowOSUpgrade is not set";
  const auto upgrade_error = std::find_if(
      errors.begin(), errors.end(), [](const RecordedUpdateError& e) { return (e.code & 0xFFFF0000U) == 0xC1900000U; });
  if (upgrade_error != errors.end() && !(is_dword && allowed == 1)) {
    c.status = CheckStatus::problem;
    c.evidence += "; the OS recorded the upgrade error " + hresult_text(upgrade_error->code);
    c.step = "allow-os-upgrade";
    c.advice = "only when you mean to upgrade Windows: drvaudit repair windows-update --step allow-os-upgrade";
  }
  return c;
}
}  // namespace

std::string_view check_status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::ok: return "ok";
    case CheckStatus::problem: return "problem";
    case CheckStatus::unknown: return "unknown";
  }
  return "unknown";
}

std::optional<std::string> w32time_peer(RepairSystem& system) {
  const auto v = system.registry_value(kW32TimeParameters, "NtpServer");
  if (!v) return std::nullopt;
  const auto t = v->as_text();
  if (!t) return std::nullopt;
  const auto list = text::trim(*t);
  const auto first = list.substr(0, list.find_first_of(" ;"));
  const auto host = text::trim(first.substr(0, first.find(',')));
  if (host.empty()) return std::nullopt;
  return std::string(host);
}

FolderSize folder_size(const std::filesystem::path& folder) {
  FolderSize size;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return size;
  size.present = true;
  for (std::filesystem::recursive_directory_iterator
           it(folder, std::filesystem::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (it->is_regular_file(fec)) {
      size.bytes += it->file_size(fec);
      ++size.files;
    }
  }
  return size;
}

std::vector<std::filesystem::path> backups_of(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  const auto prefix = path_text(folder.filename()) + ".drvaudit-";
  for (std::filesystem::directory_iterator it(folder.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = path_text(it->path().filename());
    if (name.size() > prefix.size() && text::iequals(std::string_view(name).substr(0, prefix.size()), prefix))
      out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Diagnosis::needed_steps() const {
  std::set<std::string> wanted;
  for (const auto& c : checks)
    if (c.status == CheckStatus::problem && !c.step.empty() && c.step != "allow-os-upgrade") wanted.insert(c.step);
  std::vector<std::string> out;
  for (const auto& s : kRepairSteps)
    if (wanted.count(s)) out.push_back(s);
  return out;
}

bool Diagnosis::any_problem() const {
  return std::any_of(checks.begin(), checks.end(), [](const Check& c) { return c.status == CheckStatus::problem; });
}

Diagnosis diagnose(RepairSystem& system, const DiagnoseOptions& options) {
  Diagnosis d;
  d.windows = system.is_windows();
  std::optional<std::string> peer;
  if (d.windows) peer = w32time_peer(system);
  d.ntp_server = options.ntp_server ? *options.ntp_server : peer ? *peer : kDefaultNtpServer;
  d.checks.push_back(clock_check(d.ntp_server, options));
  if (!d.windows) return d;

  if (const auto w32time = system.service("w32time")) {
    Check c{"service:w32time", "Windows Time service (w32time)", CheckStatus::ok, service_text(*w32time), "", "", {}};
    c.facts["start_type"] = start_type_name(w32time->start_type);
    c.facts["state"] = service_state_name(w32time->state);
    if (peer) c.facts["peer"] = *peer;
    if (w32time->start_type == StartType::disabled) {
      c.status = CheckStatus::problem;
      c.evidence += ": the clock is never synchronized";
      c.step = "clock";
    }
    d.checks.push_back(std::move(c));
  } else {
    d.checks.push_back({"service:w32time",
                        "Windows Time service (w32time)",
                        CheckStatus::problem,
                        "w32time is not installed: the clock is never synchronized",
                        "",
                        "set the clock by hand",
                        {{"present", false}}});
  }

  const auto recorded = system.recorded_update_errors();
  std::vector<const RecordedUpdateError*> for_software_distribution, for_catroot2, for_services, for_nobody;
  for (const auto& e : recorded.errors) {
    const auto* x = explain_update_error(e.code);
    const std::string_view step = x ? x->step : "";
    if (step == "software-distribution")
      for_software_distribution.push_back(&e);
    else if (step == "catroot2")
      for_catroot2.push_back(&e);
    else if (step == "services")
      for_services.push_back(&e);
    else if (step.empty())
      for_nobody.push_back(&e);
  }

  bool any_disabled = false;
  for (const auto& s : kUpdateServices) {
    d.checks.push_back(service_check(system, s));
    any_disabled = any_disabled || d.checks.back().step == "services";
  }
  if (!for_services.empty() && !any_disabled) {
    for (auto& c : d.checks) {
      if (c.id != "service:wuauserv" || c.status != CheckStatus::ok) continue;
      c.status = CheckStatus::problem;
      c.evidence += "; the OS recorded " + hresult_text(for_services.front()->code) + " (" +
                    std::string(explain_update_error(for_services.front()->code)->meaning) + ")";
      c.step = "services";
    }
  }

  const auto windows = system.windows_folder();
  d.checks.push_back(folder_check("software-distribution", "Windows Update's download cache (SoftwareDistribution)",
                                  windows / "SoftwareDistribution", "Download", for_software_distribution,
                                  recorded.available));
  d.checks.push_back(folder_check("catroot2", "Catalog database (System32\\catroot2)",
                                  windows / "System32" / "catroot2", "", for_catroot2, recorded.available));
  d.checks.push_back(pending_reboot_check(system));
  d.checks.push_back(free_space_check(system, options));
  d.checks.push_back(proxy_check(system));
  d.checks.push_back(policy_check(system));

  Check errors{"update-errors", "Errors Windows Update recorded", CheckStatus::ok, "", "", "", {}};
  errors.facts["source"] = recorded.source;
  errors.facts["errors"] = nlohmann::ordered_json::array();
  for (const auto& e : recorded.errors) {
    const auto* x = explain_update_error(e.code);
    errors.facts["errors"].push_back(
        {{"code", hresult_text(e.code)},
         {"name", x ? std::string(x->name) : std::string()},
         {"meaning", x ? std::string(x->meaning) : std::string("not a code drvaudit knows")},
         {"step", x ? std::string(x->step) : std::string()},
         {"when", e.when},
         {"what", e.what},
         {"from", e.from}});
  }
  if (!recorded.available) {
    errors.status = CheckStatus::unknown;
    errors.evidence = "not known: " + recorded.source;
  } else if (recorded.errors.empty()) {
    errors.evidence = "none recorded (" + recorded.source + ")";
  } else {
    errors.status = CheckStatus::problem;
    std::vector<std::string> shown;
    std::set<std::uint32_t> codes;
    for (const auto& e : recorded.errors) {
      if (!codes.insert(e.code).second || shown.size() == 3) continue;
      const auto* x = explain_update_error(e.code);
      shown.push_back(hresult_text(e.code) + " " + (x ? std::string(x->meaning) : "(not a code drvaudit knows)") +
                      (e.when.empty() ? "" : " [" + e.when + "]"));
    }
    errors.evidence =
        std::to_string(recorded.errors.size()) + " recorded (" + recorded.source + "): " + text::join(shown, "; ");
    if (!for_nobody.empty()) {
      errors.step = "troubleshooter";
      errors.advice = "none of drvaudit's steps addresses " + hresult_text(for_nobody.front()->code) +
                      ": the troubleshooter, or the advice next to the code";
    }
  }
  d.checks.push_back(std::move(errors));

  Check search{"windows-update-search", "Windows Update can search (drivers)", CheckStatus::unknown, "", "", "", {}};
  if (options.search_windows_update) {
    d.driver_search = system.search_driver_updates();
    search.status = d.driver_search.available ? CheckStatus::ok : CheckStatus::unknown;
    search.evidence = d.driver_search.detail;
    search.facts["available"] = d.driver_search.available;
    search.facts["driver_offers"] = d.driver_search.offers.size();
  } else {
    search.evidence = "not searched (--no-search)";
  }
  d.checks.push_back(std::move(search));
  d.checks.push_back(os_upgrade_check(system, recorded.errors));
  return d;
}

}  // namespace drvaudit::repair
