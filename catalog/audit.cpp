#include "catalog/audit.hpp"

#include <algorithm>
#include <set>

#include "common/hardware_id.hpp"
#include "common/text.hpp"

namespace drvaudit::audit {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::up_to_date: return "up_to_date";
    case Verdict::update_available: return "update_available";
    case Verdict::better_match: return "better_match";
    case Verdict::missing_driver: return "missing_driver";
    case Verdict::no_catalog_data: return "no_catalog_data";
  }
  return "unknown";
}

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
  c.rank.signature = entry.is_signed()
                         ? rank::Signature::trusted
                         : (entry.nt_extension ? rank::Signature::unsigned_nt : rank::Signature::unsigned_legacy);
  return c;
}

namespace {
int compare_candidates(const Candidate& a, const Candidate& b) {
  return rank::compare(a.value(), a.entry.date, a.entry.version, b.value(), b.entry.date, b.entry.version);
}

bool same_line(const Candidate& a, const Candidate& b) { return a.entry.model_id == b.entry.model_id; }

std::string describe(const Candidate& c) {
  return c.entry.inf_name + " " + c.entry.version.to_string() + " (" + c.entry.date.to_iso() + ", rank " +
         rank::hex(c.value()) + ")";
}
}  // namespace

Auditor::Auditor(const catalog::Store& store, const catalog::ModuleAliases* modules, std::string platform)
    : store_(store), modules_(modules), platform_(std::move(platform)) {}

std::vector<Candidate> Auditor::candidates_for(const Device& device) const {
  std::vector<Candidate> out;
  std::set<std::int64_t> seen;
  auto collect = [&](const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      for (auto& entry : store_.lookup(id)) {
        if (!seen.insert(entry.model_id).second) continue;
        if (auto c = rank_entry(device, entry)) out.push_back(std::move(*c));
      }
    }
  };
  collect(device.hardware_ids);
  collect(device.compatible_ids);
  std::stable_sort(out.begin(), out.end(),
                   [](const Candidate& a, const Candidate& b) { return compare_candidates(a, b) < 0; });
  return out;
}

Installed Auditor::installed_for(const Device& device) const {
  Installed in;
  if (!device.driver) return in;
  in.present = true;
  in.driver = *device.driver;
  in.version = DriverVersion::try_parse(device.driver->version);
  const auto& d = *device.driver;
  if (platform_ == "linux" && d.inf.empty()) {
    in.kernel_driver = true;
    return in;
  }
  // Rank it by the same formula from its own INF when the catalog has that INF: the only honest
  // way to tell a better match from a merely newer one.
  if (!d.inf.empty()) {
    std::optional<Candidate> best_own;
    for (const auto& entry : store_.entries_of_inf(d.inf)) {
      if (!d.section.empty() && !text::iequals(entry.install_section, d.section) &&
          !text::iequals(entry.ddinstall_section, d.section))
        continue;
      auto c = rank_entry(device, entry);
      if (!c) continue;
      const bool has_matching_id =
          !d.matching_id.empty() &&
          (hwid::equals(entry.hardware_id, d.matching_id) ||
           std::any_of(entry.compatible_ids.begin(), entry.compatible_ids.end(),
                       [&](const std::string& id) { return hwid::equals(id, d.matching_id); }));
      if (!d.matching_id.empty() && !has_matching_id) continue;
      if (!best_own || c->value() < best_own->value()) best_own = std::move(c);
    }
    if (best_own) {
      in.rank = best_own->value();
      in.rank_source = RankSource::catalog;
      in.own = std::move(best_own);
      return in;
    }
  }
  if (d.rank) {
    in.rank = d.rank;
    in.rank_source = RankSource::os;
    return in;
  }
  if (!d.matching_id.empty()) {
    // Estimate: a signed driver (64-bit Windows loads no other), no feature score, and the
    // matching ID taken as the INF's hardware ID.
    rank::Rank r;
    r.signature = rank::Signature::trusted;
    for (std::size_t i = 0; i < device.hardware_ids.size(); ++i) {
      if (hwid::equals(device.hardware_ids[i], d.matching_id)) {
        r.identifier = {static_cast<std::uint32_t>(i), rank::MatchType::hardware_to_hardware, i, 0,
                        device.hardware_ids[i]};
        in.rank = r.value();
        break;
      }
    }
    for (std::size_t j = 0; !in.rank && j < device.compatible_ids.size(); ++j) {
      if (hwid::equals(device.compatible_ids[j], d.matching_id)) {
        r.identifier = {static_cast<std::uint32_t>(0x2000 + j), rank::MatchType::compatible_to_hardware, j, 0,
                        device.compatible_ids[j]};
        in.rank = r.value();
      }
    }
    if (in.rank) in.rank_source = RankSource::estimated;
  }
  return in;
}

DeviceAudit Auditor::audit(const Device& device) const {
  DeviceAudit a;
  a.device = device;
  a.candidates = candidates_for(device);
  a.installed = installed_for(device);
  if (modules_ && !device.modalias.empty()) a.kernel_modules = modules_->modules_for(device.modalias);
  const bool linux_platform = platform_ == "linux";

  if (!a.installed.present) {
    if (linux_platform) {
      if (!a.kernel_modules.empty()) {
        a.verdict = Verdict::missing_driver;
        a.reason = "driver available, not loaded: kernel module " + a.kernel_modules.front() + " matches this device";
      } else {
        a.verdict = Verdict::no_catalog_data;
        a.reason = "no driver is bound and no kernel module matches this device";
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
               (a.installed.driver.module.empty() ? std::string(" (built in)")
                                                  : " (module " + a.installed.driver.module + ")") +
               "; kernel drivers are updated with the kernel";
    return a;
  }

  for (const auto& c : a.candidates) {
    if (a.installed.own && same_line(c, *a.installed.own)) continue;
    a.best = c;
    break;
  }
  if (!a.best) {
    a.verdict = a.installed.own ? Verdict::up_to_date : Verdict::no_catalog_data;
    a.reason = a.installed.own ? "the installed driver is the only match in the catalog"
                               : "the catalog has nothing that matches this device";
    return a;
  }

  const auto& best = *a.best;
  const DriverVersion installed_version = a.installed.version.value_or(DriverVersion());
  const DriverDate& installed_date = a.installed.driver.date;
  const bool newer =
      best.entry.date > installed_date || (best.entry.date == installed_date && best.entry.version > installed_version);
  if (!a.installed.rank) {
    a.verdict = newer ? Verdict::update_available : Verdict::up_to_date;
    a.reason = std::string(newer ? "a newer driver is available: " : "nothing newer in the catalog; best match is ") +
               describe(best) + " (the installed driver's rank is unknown, so only dates and versions were compared)";
    return a;
  }
  const std::uint32_t installed_rank = *a.installed.rank;
  if (best.value() < installed_rank) {
    a.verdict = best.entry.date > installed_date ? Verdict::update_available : Verdict::better_match;
    a.reason = (a.verdict == Verdict::update_available ? "a newer, better-matching driver is available: "
                                                       : "a better-matching driver that is not newer is available: ") +
               describe(best) + " against the installed rank " + rank::hex(installed_rank);
  } else if (best.value() == installed_rank && newer) {
    a.verdict = Verdict::update_available;
    a.reason = "a newer driver with the same rank is available: " + describe(best);
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
