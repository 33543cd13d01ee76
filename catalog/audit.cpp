#include "catalog/audit.hpp"
#include "catalog/windows_update.hpp"

#include <algorithm>
#include <set>

#include "common/hardware_id.hpp"
#include "common/text.hpp"
#include "scanner/problem_codes.hpp"

namespace drvaudit::audit {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::up_to_date: return "up_to_date";
    case Verdict::update_available: return "update_available";
    case Verdict::better_match: return "better_match";
    case Verdict::possible_update: return "possible_update";
    case Verdict::missing_driver: return "missing_driver";
    case Verdict::no_catalog_data: return "no_catalog_data";
  }
  return "unknown";
}

std::string_view platform_name(Platform p) { return p == Platform::linux ? "linux" : "windows"; }

Platform platform_of(std::string_view os) { return text::iequals(os, "linux") ? Platform::linux : Platform::windows; }

std::string_view rank_source_name(RankSource s) {
  switch (s) {
    case RankSource::unknown: return "unknown";
    case RankSource::catalog: return "catalog";
    case RankSource::os: return "os";
    case RankSource::estimated: return "estimated";
  }
  return "unknown";
}

bool is_actionable(Verdict v) {
  return v == Verdict::update_available || v == Verdict::better_match || v == Verdict::missing_driver;
}

std::optional<Candidate> rank_entry(const Device& device, const catalog::Entry& entry) {
  auto match =
      rank::best_identifier_match(device.hardware_ids, device.compatible_ids, entry.hardware_id, entry.compatible_ids);
  if (!match) return std::nullopt;
  Candidate c;
  c.entry = entry;
  c.rank.identifier = *match;
  c.rank.feature_score = entry.feature_score;
  // Only a package whose INF is really in its catalog gets the trusted score; a modified INF or a
  // missing catalog ranks as Windows ranks unsigned packages.
  c.rank.signature = entry.trusted_signature()
                         ? rank::Signature::trusted
                         : (entry.nt_extension ? rank::Signature::unsigned_nt : rank::Signature::unsigned_legacy);
  return c;
}

namespace {
int compare_candidates(const Candidate& a, const Candidate& b) {
  return rank::compare(a.value(), a.entry.date, a.entry.version, b.value(), b.entry.date, b.entry.version);
}

bool from_windows_update(const catalog::Entry& e) { return e.source_kind == windows_update::kSourceKind; }

std::string describe(const Candidate& c) {
  if (from_windows_update(c.entry))
    return "Windows Update's offer from " +
           (c.entry.provider.empty() ? std::string("an unnamed provider") : c.entry.provider) + " (" +
           (c.entry.date.is_zero() ? std::string("no date") : c.entry.date.to_iso()) +
           ", version not published by Windows Update, rank " + rank::hex(c.value()) + ")";
  return c.entry.inf_name + " " + c.entry.version.to_string() + " (" +
         (c.entry.date.is_zero() ? std::string("no date") : c.entry.date.to_iso()) + ", rank " + rank::hex(c.value()) +
         ")";
}

bool lists_id(const catalog::Entry& e, const std::string& id) {
  return hwid::equals(e.hardware_id, id) || std::any_of(e.compatible_ids.begin(), e.compatible_ids.end(),
                                                        [&](const std::string& c) { return hwid::equals(c, id); });
}

// Whether the candidate is newer than the installed driver by the Windows tie-break (date, then
// version); nullopt when the installed date or version that would decide it is unknown.
// Another copy of the installed package (the original beside its oemNN.inf in the driver store, or
// the folder it was installed from) is the installed driver, not an update to it.
bool same_package(const catalog::Entry& a, const catalog::Entry& b) {
  if (a.model_id == b.model_id) return true;
  return a.date == b.date && a.version == b.version && text::iequals(a.provider, b.provider) &&
         text::iequals(a.ddinstall_section, b.ddinstall_section) && hwid::equals(a.hardware_id, b.hardware_id);
}

std::optional<bool> newer_than_installed(const Candidate& best, const Installed& in) {
  const auto& date = in.driver.date;
  if (date.is_zero()) return std::nullopt;
  if (best.entry.date != date) return best.entry.date > date;
  if (!in.version || from_windows_update(best.entry)) return std::nullopt;
  return best.entry.version > *in.version;
}
}  // namespace

Auditor::Auditor(const catalog::Store& store, const catalog::ModuleAliases* modules, AuditorOptions options)
    : store_(store), modules_(modules), options_(std::move(options)) {}

void Auditor::find_candidates(const Device& device, DeviceAudit& out) const {
  std::set<std::int64_t> seen;
  auto collect = [&](const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      for (auto& entry : store_.lookup(id)) {
        if (!seen.insert(entry.model_id).second) continue;
        if (!catalog::applies_to(entry, options_.target)) {
          ++out.other_targets;
          continue;
        }
        if (auto c = rank_entry(device, entry)) out.candidates.push_back(std::move(*c));
      }
    }
  };
  collect(device.hardware_ids);
  collect(device.compatible_ids);
  std::stable_sort(out.candidates.begin(), out.candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return compare_candidates(a, b) < 0; });
}

Installed Auditor::installed_for(const Device& device) const {
  Installed in;
  if (!device.driver) return in;
  in.present = true;
  in.driver = *device.driver;
  in.version = DriverVersion::try_parse(device.driver->version);
  const auto& d = *device.driver;
  if (options_.platform == Platform::linux && d.inf.empty()) {
    in.kernel_driver = true;
    return in;
  }
  if (d.date.is_zero()) in.missing_facts.emplace_back("the installed driver's date is unknown");
  if (!in.version) in.missing_facts.emplace_back("the installed driver's version is unknown");

  // Its own Models line: only the same package counts, so the INF name, the DriverVer (date and
  // version) and the install section must all agree; a catalog package that merely shares an inbox
  // INF's name (machine.inf, another release of nv_dispi.inf) is a different driver.
  if (!d.inf.empty() && !d.date.is_zero() && in.version) {
    std::optional<Candidate> best_own;
    int best_preference = -1;
    for (const auto& entry : store_.entries_of_inf(d.inf)) {
      if (entry.date != d.date || entry.version != *in.version) continue;
      if (!d.section.empty() && !text::iequals(entry.install_section, d.section) &&
          !text::iequals(entry.ddinstall_section, d.section))
        continue;
      if (!d.matching_id.empty() && !lists_id(entry, d.matching_id)) continue;
      auto c = rank_entry(device, entry);
      if (!c) continue;
      const bool store_copy = std::find(options_.driver_store_sources.begin(), options_.driver_store_sources.end(),
                                        entry.source) != options_.driver_store_sources.end();
      const int preference = (catalog::applies_to(entry, options_.target) ? 2 : 0) + (store_copy ? 1 : 0);
      if (preference > best_preference || (preference == best_preference && c->value() < best_own->value())) {
        best_own = std::move(c);
        best_preference = preference;
      }
    }
    in.own = std::move(best_own);
  } else if (!d.inf.empty() && !options_.driver_store_sources.empty()) {
    // The OS did not report the DriverVer (Wine writes only InfPath and InfSection), but InfPath
    // names the file in the driver store it installed from: that copy, with the same install
    // section, is the installed package, and its DriverVer is the one Windows would report.
    for (const auto& entry : store_.entries_of_inf(d.inf)) {
      const bool store_copy = std::find(options_.driver_store_sources.begin(), options_.driver_store_sources.end(),
                                        entry.source) != options_.driver_store_sources.end();
      if (!store_copy || !catalog::applies_to(entry, options_.target)) continue;
      if (d.section.empty() ||
          (!text::iequals(entry.install_section, d.section) && !text::iequals(entry.ddinstall_section, d.section)))
        continue;
      auto c = rank_entry(device, entry);
      if (!c || (in.own && in.own->value() <= c->value())) continue;
      in.own = std::move(c);
    }
    if (in.own && !in.own->entry.date.is_zero()) {
      in.driver.date = in.own->entry.date;
      in.version = in.own->entry.version;
      in.missing_facts.clear();
      in.driver_ver_from = in.own->entry.path;
    }
  }
  // The rank Windows reported is the truth; the own INF's rank is the same formula computed here.
  if (d.rank) {
    in.rank = d.rank;
    in.rank_source = RankSource::os;
    return in;
  }
  if (in.own) {
    in.rank = in.own->value();
    in.rank_source = RankSource::catalog;
    return in;
  }
  if (!d.matching_id.empty()) {
    // An estimate for the explanation only: a signed driver (64-bit Windows loads no other), no
    // feature score, and the matching ID taken as the INF's hardware ID. It proves nothing.
    catalog::Entry assumed;
    assumed.hardware_id = d.matching_id;
    assumed.signature.status = inf::SignatureStatus::signed_by_catalog;
    if (auto c = rank_entry(device, assumed)) {
      in.rank = c->value();
      in.rank_source = RankSource::estimated;
    }
  }
  in.missing_facts.emplace_back(
      d.inf.empty() ? "the installed driver's rank is unknown: the scan has neither its INF nor its rank"
                    : "the installed driver's rank is unknown: " + d.inf +
                          " with that DriverVer and section is not in the catalog and the OS reported no rank");
  return in;
}

DeviceAudit Auditor::audit(const Device& device) const {
  DeviceAudit a = judge(device);
  // A problem the device reports, or a device left without any driver, that no verdict can fix.
  if (device.present && problem_codes::needs_attention(device.problem_code)) {
    a.attention = problem_codes::message(device.problem_code);
  } else if (device.present && options_.platform == Platform::windows && !a.installed.present && a.candidates.empty()) {
    a.attention = "no driver is installed and the catalog has none for this device";
  }
  return a;
}

bool needs_attention(const DeviceAudit& a) { return !a.attention.empty() && !is_actionable(a.verdict); }

DeviceAudit Auditor::judge(const Device& device) const {
  DeviceAudit a;
  a.device = device;
  find_candidates(device, a);
  a.installed = installed_for(device);
  if (modules_ && !device.modalias.empty()) a.kernel_modules = modules_->modules_for(device.modalias);
  const bool linux_platform = options_.platform == Platform::linux;

  if (!a.installed.present) {
    if (linux_platform) {
      if (!a.kernel_modules.empty()) {
        a.verdict = Verdict::missing_driver;
        a.reason = "driver available, not loaded: kernel module " + a.kernel_modules.front() + " matches this device";
      } else {
        a.verdict = Verdict::no_catalog_data;
        a.reason = modules_ ? "no driver is bound and no kernel module matches this device"
                            : "no driver is bound (no modules.alias was read, so kernel modules were not checked)";
        if (!a.candidates.empty())
          a.reason += " (" + std::to_string(a.candidates.size()) + " Windows driver package lines match it)";
      }
    } else if (!a.candidates.empty()) {
      a.best = a.candidates.front();
      a.verdict = Verdict::missing_driver;
      a.reason = "no driver is installed; the catalog has " + describe(*a.best);
    } else {
      a.verdict = Verdict::no_catalog_data;
      a.reason = "no driver is installed and the catalog has nothing that matches";
    }
    return a;
  }

  if (a.installed.kernel_driver) {
    a.verdict = Verdict::up_to_date;
    a.reason = "bound to kernel driver " + a.installed.driver.service +
               (a.installed.driver.module.empty() ? std::string(" (built into the kernel)")
                                                  : " (module " + a.installed.driver.module + ")") +
               "; kernel drivers are updated with the kernel";
    return a;
  }

  for (const auto& c : a.candidates) {
    if (a.installed.own && same_package(c.entry, a.installed.own->entry)) continue;
    a.best = c;
    break;
  }
  if (!a.best) {
    const bool own_here = a.installed.own && catalog::applies_to(a.installed.own->entry, options_.target);
    a.verdict = own_here ? Verdict::up_to_date : Verdict::no_catalog_data;
    a.reason = own_here ? "the installed driver is the only match in the catalog"
                        : "the catalog has nothing that matches this device";
    return a;
  }

  const auto& best = *a.best;
  const auto newer = newer_than_installed(best, a.installed);
  if (!a.installed.rank_proven()) {
    if (newer == false) {
      a.verdict = Verdict::up_to_date;
      a.reason = "nothing in the catalog is newer; best match is " + describe(best) +
                 " (the installed driver's rank is unknown, so only dates and versions were compared)";
    } else {
      a.verdict = Verdict::possible_update;
      a.reason = (newer == true ? "a newer driver may be better: " : "a driver that may be newer: ") + describe(best) +
                 ", but it is not proven to be better-or-equal: " + a.installed.missing_facts.back();
    }
    return a;
  }
  const std::uint32_t installed_rank = *a.installed.rank;
  if (best.value() < installed_rank) {
    a.verdict = newer == true ? Verdict::update_available : Verdict::better_match;
    a.reason = (newer == true    ? "a newer, better-matching driver is available: "
                : newer == false ? "a better-matching driver that is not newer is available: "
                                 : "a better-matching driver is available (whether it is newer is unknown): ") +
               describe(best) + " against the installed rank " + rank::hex(installed_rank);
  } else if (best.value() == installed_rank && newer != false) {
    a.verdict = newer == true ? Verdict::update_available : Verdict::possible_update;
    a.reason = newer == true
                   ? "a newer driver with the same rank is available: " + describe(best)
                   : "a driver with the same rank may be newer: " + describe(best) + ", but " +
                         (a.installed.missing_facts.empty()
                              ? std::string("only its version could decide, and Windows Update publishes none")
                              : a.installed.missing_facts.front());
  } else {
    a.verdict = Verdict::up_to_date;
    a.reason = best.value() > installed_rank
                   ? "the installed driver matches better (rank " + rank::hex(installed_rank) +
                         ") than anything else in the catalog; best other is " + describe(best)
                   : "nothing in the catalog is newer than the installed driver";
  }
  return a;
}

}  // namespace drvaudit::audit
