#include "updater/repair/update_errors.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "common/text.hpp"

namespace drvaudit::repair {

namespace {
// Microsoft's "Windows Update common errors and mitigation" and "error code reference" pages, the
// codes people search for most.
constexpr std::array<ErrorExplanation, 26> kExplanations{{
    {0x80070002, "ERROR_FILE_NOT_FOUND",
     "a file Windows Update needs is missing: its download cache (SoftwareDistribution) is damaged",
     "software-distribution"},
    {0x80070003, "ERROR_PATH_NOT_FOUND",
     "a folder Windows Update needs is missing: its download cache (SoftwareDistribution) is damaged",
     "software-distribution"},
    {0x80070005, "E_ACCESSDENIED", "access denied: Windows Update must run elevated, or a file is locked", ""},
    {0x8007000E, "E_OUTOFMEMORY", "out of memory while Windows Update ran", ""},
    {0x80070070, "ERROR_DISK_FULL", "not enough free space on the system drive", ""},
    {0x80070422, "ERROR_SERVICE_DISABLED", "a service Windows Update needs is disabled", "services"},
    {0x800705B4, "ERROR_TIMEOUT", "an operation timed out (often a stuck service or a slow proxy)", "services"},
    {0x80072EE2, "ERROR_INTERNET_TIMEOUT", "the update server did not answer in time (network or proxy)", ""},
    {0x80072EFD, "ERROR_INTERNET_CANNOT_CONNECT", "cannot connect to the update server (network, proxy or firewall)",
     ""},
    {0x80072F8F, "ERROR_INTERNET_SECURE_FAILURE",
     "the secure connection failed: most often the clock is wrong, so certificates look expired", "clock"},
    {0x80240016, "WU_E_INSTALL_NOT_ALLOWED", "another installation is running, or a restart is pending", ""},
    {0x80240017, "WU_E_NOT_APPLICABLE", "the update does not apply to this system", ""},
    {0x8024001E, "WU_E_SERVICE_STOP", "the operation stopped because a service was stopping", "services"},
    {0x80240034, "WU_E_DOWNLOAD_FAILED", "the update could not be downloaded", "software-distribution"},
    {0x8024402C, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", "the update server's name did not resolve (proxy or DNS)", ""},
    {0x80244022, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL", "the update server was busy (HTTP 503): try later", ""},
    {0x80246007, "WU_E_DM_NOTDOWNLOADED", "the update was not downloaded completely", "software-distribution"},
    {0x80246008, "WU_E_DM_FAILTOCONNECTTOBITS", "Windows Update could not reach the BITS service", "services"},
    {0x80248007, "WU_E_DS_NODATA", "Windows Update's data store lacks information it needs", "software-distribution"},
    {0x8024A105, "WU_E_AU_NO_REGISTERED_SERVICE", "the Automatic Updates agent has no registered service",
     "software-distribution"},
    {0x80092004, "CRYPT_E_NOT_FOUND", "a catalog or signature Windows Update checks was not found", "catroot2"},
    {0x800B0100, "TRUST_E_NOSIGNATURE", "an update's signature could not be found (the catalog database)", "catroot2"},
    {0x800F081F, "CBS_E_SOURCE_MISSING", "the component store lacks the source files (DISM /RestoreHealth)", ""},
    {0x800F0922, "CBS_E_INSTALLERS_FAILED",
     "the update could not be installed (the System Reserved partition or a VPN)", ""},
    {0x80073712, "ERROR_SXS_COMPONENT_STORE_CORRUPT", "the component store is damaged (DISM /RestoreHealth)", ""},
    {0xC1900101, "", "a driver failed during the Windows upgrade: update or remove the driver, then upgrade",
     "allow-os-upgrade"},
}};

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// The first HRESULT-looking number in a message: "0x8007000E", "hr = 80070002", "error 0x80244022".
std::optional<std::uint32_t> find_hresult(std::string_view line) {
  for (std::size_t i = 0; i + 8 <= line.size(); ++i) {
    std::size_t start = i;
    if (line.compare(i, 2, "0x") == 0 || line.compare(i, 2, "0X") == 0)
      start = i + 2;
    else if (i > 0 && is_hex(line[i - 1]))
      continue;
    if (start + 8 > line.size()) break;
    bool all = true;
    for (std::size_t k = start; k < start + 8; ++k) all = all && is_hex(line[k]);
    if (!all || (start + 8 < line.size() && is_hex(line[start + 8]))) continue;
    const auto value = text::parse_hex(line.substr(start, 8));
    // Failure HRESULTs have the top bit set; a plain number that happens to be 8 digits does not.
    if (value && (*value & 0x80000000U)) return value;
  }
  return std::nullopt;
}
}  // namespace

const ErrorExplanation* explain_update_error(std::uint32_t code) {
  for (const auto& e : kExplanations)
    if (e.code == code) return &e;
  return nullptr;
}

std::string hresult_text(std::uint32_t code) {
  char buffer[11];
  std::snprintf(buffer, sizeof buffer, "0x%08X", code);
  return buffer;
}

std::vector<RecordedUpdateError> parse_windows_update_log(std::string_view text, std::size_t limit) {
  std::vector<RecordedUpdateError> found;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // date \t time \t pid \t tid \t component \t message
    std::array<std::string_view, 6> fields;
    std::size_t field = 0, at = 0;
    while (field < 5) {
      const auto tab = line.find('\t', at);
      if (tab == std::string_view::npos) break;
      fields[field++] = line.substr(at, tab - at);
      at = tab + 1;
    }
    if (field < 5) continue;
    fields[5] = line.substr(at);
    const auto& message = fields[5];
    if (message.find("WARNING") == std::string_view::npos && message.find("FATAL") == std::string_view::npos) continue;
    const auto code = find_hresult(message);
    if (!code) continue;
    RecordedUpdateError e;
    e.code = *code;
    e.when = std::string(fields[0]) + " " + std::string(fields[1].substr(0, 8));
    e.what = std::string(text::trim(fields[4])) + ": " + std::string(text::trim(message));
    e.from = "WindowsUpdate.log";
    // The same failure is logged several times in a row; one row each.
    if (!found.empty() && found.back().code == e.code && found.back().when.substr(0, 10) == e.when.substr(0, 10))
      found.back() = e;
    else
      found.push_back(std::move(e));
  }
  std::reverse(found.begin(), found.end());
  if (found.size() > limit) found.resize(limit);
  return found;
}

}  // namespace drvaudit::repair
