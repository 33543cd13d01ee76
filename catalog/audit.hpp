#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_store.hpp"
#include "catalog/module_aliases.hpp"
#include "catalog/ranking.hpp"
#include "scanner/device.hpp"

// Decides for each device what Windows would install from the catalog and whether it beats the
// installed driver, with everything needed to explain the decision (DESIGN.md §4, verdicts).
namespace drvaudit::audit {

enum class Verdict { up_to_date, update_available, better_match, missing_driver, no_catalog_data };
std::string_view verdict_name(Verdict v);

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
  std::optional<Candidate> own;  // its own Models line, when its INF is in the catalog
};

struct DeviceAudit {
  Device device;
  Verdict verdict = Verdict::no_catalog_data;
  Installed installed;
  std::optional<Candidate> best;            // the best candidate other than the installed driver
  std::vector<Candidate> candidates;        // every matching Models line, best first
  std::vector<std::string> kernel_modules;  // Linux: modules whose alias matches the device
  std::string reason;                       // the verdict in one plain sentence
};

class Auditor {
 public:
  // platform: "windows" or "linux", the OS the devices run (it decides which catalogs apply).
  Auditor(const catalog::Store& store, const catalog::ModuleAliases* modules, std::string platform);
  DeviceAudit audit(const Device& device) const;

 private:
  std::vector<Candidate> candidates_for(const Device& device) const;
  Installed installed_for(const Device& device) const;

  const catalog::Store& store_;
  const catalog::ModuleAliases* modules_;
  std::string platform_;
};

// Builds a candidate for a device from a catalog entry; nullopt when no ID matches.
std::optional<Candidate> rank_entry(const Device& device, const catalog::Entry& entry);

// Whether any verdict asks the user to act (the audit's exit code 10).
bool is_actionable(Verdict v);

}  // namespace drvaudit::audit
