#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_store.hpp"
#include "catalog/module_aliases.hpp"
#include "catalog/ranking.hpp"
#include "catalog/target_os.hpp"
#include "scanner/device.hpp"

// Decides for each device what Windows would install from the catalog and whether it beats the
// installed driver, with everything needed to explain the decision (DESIGN.md §4, verdicts).
namespace drvaudit::audit {

enum class Verdict { up_to_date, update_available, better_match, possible_update, missing_driver, no_catalog_data };
std::string_view verdict_name(Verdict v);
inline constexpr Verdict kAllVerdicts[] = {Verdict::up_to_date,     Verdict::update_available,
                                           Verdict::better_match,   Verdict::possible_update,
                                           Verdict::missing_driver, Verdict::no_catalog_data};

// The OS the audited devices run: it decides which catalogs apply and what "installed" means.
enum class Platform { windows, linux };
std::string_view platform_name(Platform p);
// "windows" and "linux"; anything else (an empty snapshot field included) is Windows.
Platform platform_of(std::string_view os);

// One Models line that matches the device, with its rank for that device.
struct Candidate {
  catalog::Entry entry;
  rank::Rank rank;
  std::uint32_t value() const { return rank.value(); }
};

enum class RankSource { unknown, catalog, os, estimated };
std::string_view rank_source_name(RankSource s);

struct Installed {
  bool present = false;
  bool kernel_driver = false;  // a Linux kernel driver: not ranked against INF packages
  InstalledDriver driver;
  std::optional<DriverVersion> version;  // parsed, when the reported version is w.x.y.z
  std::optional<std::uint32_t> rank;
  RankSource rank_source = RankSource::unknown;
  std::optional<Candidate> own;  // its own Models line: same INF name, DriverVer and section
  // Whether a rank comparison with this driver proves anything (the OS's rank, or its own INF's).
  bool rank_proven() const { return rank && (rank_source == RankSource::os || rank_source == RankSource::catalog); }
  // The driver store's INF its date and version were read from, when the OS reported none.
  std::string driver_ver_from;
  // What the audit could not know about it, in words, for the explanation.
  std::vector<std::string> missing_facts;
};

struct DeviceAudit {
  Device device;
  Verdict verdict = Verdict::no_catalog_data;
  Installed installed;
  std::optional<Candidate> best;            // the best candidate other than the installed driver
  std::vector<Candidate> candidates;        // every matching Models line for the target, best first
  std::size_t other_targets = 0;            // matching lines in sections for other Windows versions
  std::vector<std::string> kernel_modules;  // Linux: modules whose alias matches the device
  std::string reason;                       // the verdict in one plain sentence
  // What is wrong with the device beyond its driver's age: Device Manager's problem text, or no
  // driver at all. Empty when nothing is.
  std::string attention;
};

// Whether a device needs the user and no update is offered for it: a problem code or no driver,
// with nothing in the catalog to fix it.
bool needs_attention(const DeviceAudit& a);

struct AuditorOptions {
  Platform platform = Platform::windows;
  inf::TargetOs target;
  // Sources whose copy of an INF is the one the OS installed from (the Windows driver store),
  // preferred when the installed driver's own INF is looked up.
  std::vector<std::string> driver_store_sources;
};

class Auditor {
 public:
  Auditor(const catalog::Store& store, const catalog::ModuleAliases* modules, AuditorOptions options);
  DeviceAudit audit(const Device& device) const;

 private:
  DeviceAudit judge(const Device& device) const;  // the verdict on the driver alone
  void find_candidates(const Device& device, DeviceAudit& out) const;
  Installed installed_for(const Device& device) const;

  const catalog::Store& store_;
  const catalog::ModuleAliases* modules_;
  AuditorOptions options_;
};

// Builds a candidate for a device from a catalog entry; nullopt when no ID matches. The one place a
// rank is computed: signature status, feature score and identifier score.
std::optional<Candidate> rank_entry(const Device& device, const catalog::Entry& entry);

// Whether a verdict asks the user to act (the audit's exit code 10). possible_update does not: it
// is shown and explained, but never proven.
bool is_actionable(Verdict v);

}  // namespace drvaudit::audit
