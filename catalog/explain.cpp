#include "catalog/explain.hpp"

#include "common/text.hpp"

namespace drvaudit::audit {

namespace {
// Every string that came from a device, an INF, a snapshot or the file system: escaped, so a hostile
// name can neither write to the terminal nor start a line of its own (explain is text output).
std::string shown(std::string_view untrusted) { return text::escape_control(untrusted); }

std::string hex4(std::uint32_t v) { return "0x" + text::hex(v, 4); }

std::string rank_parts(const rank::Rank& r) {
  return rank::hex(r.value()) + " = signature " + rank::hex(rank::signature_score(r.signature)) + " (" +
         std::string(rank::signature_name(r.signature)) + ") + feature score " +
         rank::hex(std::uint32_t{r.feature_score} << 16) + (r.feature_score == 0xFF ? " (none given)" : "") +
         " + identifier " + hex4(r.identifier.score);
}

std::string date_or_unknown(const DriverDate& d) { return d.is_zero() ? "no date" : d.to_iso(); }

// How a candidate compares with the installed driver, the way Windows decides.
std::string versus_installed(const Candidate& c, const Installed& in) {
  if (!in.present) return "nothing is installed";
  if (in.kernel_driver) return "not compared: the device runs a Linux kernel driver";
  std::string out;
  if (in.rank && in.rank_proven()) {
    if (c.value() < *in.rank)
      out = "better rank (" + rank::hex(c.value()) + " < " + rank::hex(*in.rank) + ")";
    else if (c.value() > *in.rank)
      out = "worse rank (" + rank::hex(c.value()) + " > " + rank::hex(*in.rank) +
            "), so Windows keeps the installed driver whatever the dates";
    else
      out = "same rank (" + rank::hex(c.value()) + ")";
  } else if (in.rank) {
    out = "installed rank unknown (estimated " + rank::hex(*in.rank) + ", which proves nothing)";
  } else {
    out = "installed rank unknown";
  }
  const auto& date = in.driver.date;
  if (c.entry.date != date) {
    out += date.is_zero() ? ", installed date unknown (" + date_or_unknown(c.entry.date) + " here)"
                          : std::string(", ") + (c.entry.date > date ? "newer" : "older") + " date (" +
                                date_or_unknown(c.entry.date) + " vs " + date_or_unknown(date) + ")";
  } else {
    out += ", same date (" + date_or_unknown(date) + ")";
    const auto installed_version = in.version.value_or(DriverVersion());
    if (!in.version) {
      out += ", installed version unknown";
    } else if (c.entry.version != installed_version) {
      out += std::string(", ") + (c.entry.version > installed_version ? "higher" : "lower") + " version (" +
             c.entry.version.to_string() + " vs " + installed_version.to_string() + ")";
    } else {
      out += ", same version";
    }
  }
  return out;
}

std::string signature_words(const inf::SignatureInfo& sig) {
  std::string out = inf::signature_status_text(sig.status);
  if (!sig.catalog_file.empty()) out += " (" + shown(sig.catalog_file) + ")";
  if (!sig.signer.empty()) out += ", signer " + shown(sig.signer);
  if (!sig.signed_at.empty()) out += ", signed " + shown(sig.signed_at);
  if (sig.chain == inf::ChainStatus::verified) out += ", chain verified by Windows";
  if (sig.chain == inf::ChainStatus::untrusted) out += ", chain refused by Windows";
  if (!sig.detail.empty() &&
      (sig.status != inf::SignatureStatus::signed_by_catalog || sig.chain != inf::ChainStatus::verified))
    out += "; " + shown(sig.detail);
  return out;
}

void list_ids(std::string& out, const char* title, const std::vector<std::string>& ids) {
  out += std::string("  ") + title + ":";
  if (ids.empty()) out += " none";
  out += "\n";
  for (std::size_t i = 0; i < ids.size(); ++i) out += "    #" + std::to_string(i) + "  " + shown(ids[i]) + "\n";
}
}  // namespace

std::string describe_match(const rank::IdentifierMatch& m) {
  const bool device_hw =
      m.type == rank::MatchType::hardware_to_hardware || m.type == rank::MatchType::hardware_to_compatible;
  const bool entry_hw =
      m.type == rank::MatchType::hardware_to_hardware || m.type == rank::MatchType::compatible_to_hardware;
  std::string out = std::string("device ") + (device_hw ? "hardware" : "compatible") + " ID #" +
                    std::to_string(m.device_position) + " '" + shown(m.device_id) + "' = the INF's " +
                    (entry_hw ? "hardware ID" : "compatible ID #" + std::to_string(m.entry_position));
  out += " (" + hex4(m.score) + ")";
  return out;
}

std::string explain(const DeviceAudit& a) {
  const auto& d = a.device;
  std::string out = "Device: " + shown(d.description) + "\n  Instance ID: " + shown(d.instance_id) + "\n";
  list_ids(out, "Hardware IDs", d.hardware_ids);
  list_ids(out, "Compatible IDs", d.compatible_ids);

  const auto& in = a.installed;
  out += "Installed driver: ";
  if (!in.present) {
    out += "none\n";
  } else {
    const auto& drv = in.driver;
    const std::string name = shown(!drv.inf.empty() ? drv.inf : !drv.service.empty() ? drv.service : "a driver");
    const std::string version = version_text(drv) == drv.version
                                    ? (drv.version.empty() ? "unknown" : shown(drv.version))
                                    : shown(version_text(drv)) + " (release " + shown(drv.version) + ")";
    out += name + (drv.provider.empty() ? "" : " from " + shown(drv.provider)) + ", version " + version + ", date " +
           date_or_unknown(drv.date);
    if (!drv.section.empty()) out += ", section " + shown(drv.section);
    if (!drv.matching_id.empty()) out += ", matched " + shown(drv.matching_id);
    out += "\n";
    if (!in.driver_ver_from.empty())
      out += "  the OS reported no DriverVer: date and version are read from " + shown(in.driver_ver_from) +
             ", the driver store's copy of the INF it installed from\n";
    if (in.kernel_driver) {
      out += "  a Linux kernel driver" +
             (drv.module.empty() ? std::string(" built into the kernel") : " (module " + shown(drv.module) + ")") +
             ": it is not ranked against Windows driver packages\n";
    } else if (in.rank_source == RankSource::catalog && in.own) {
      out += "  rank " + rank_parts(in.own->rank) + ", computed from its own INF " + shown(in.own->entry.path) +
             " line " + std::to_string(in.own->entry.line) +
             " (same name, DriverVer and section): " + describe_match(in.own->rank.identifier) + "\n";
    } else if (in.rank_source == RankSource::os) {
      out += "  rank " + rank::hex(*in.rank) + " as reported by Windows" +
             (in.own ? " (its own INF is in the catalog: " + shown(in.own->entry.path) + " line " +
                           std::to_string(in.own->entry.line) + ")"
                     : std::string()) +
             "\n";
    } else if (in.rank_source == RankSource::estimated) {
      out += "  rank " + rank::hex(*in.rank) +
             " estimated from the matching ID (signed and no feature score assumed): an estimate proves nothing\n";
    }
    for (const auto& fact : in.missing_facts) out += "  missing: " + shown(fact) + "\n";
  }

  if (!a.kernel_modules.empty()) {
    out += "Kernel modules whose alias matches (" + shown(d.modalias) + "):";
    for (const auto& m : a.kernel_modules) out += " " + shown(m);
    out += "\n";
  }

  out += "Candidates in the catalog: " + std::to_string(a.candidates.size()) +
         (a.candidates.empty() ? "\n" : ", best first\n");
  for (std::size_t i = 0; i < a.candidates.size(); ++i) {
    const auto& c = a.candidates[i];
    const auto& e = c.entry;
    const bool is_installed = in.own && in.own->entry.model_id == e.model_id;
    out += "  " + std::to_string(i + 1) + ". " + shown(e.path) + " line " + std::to_string(e.line) +
           (is_installed ? "  [installed]" : "") + "\n";
    out += "     " + (e.description.empty() ? std::string("(no description)") : shown(e.description)) + " by " +
           (e.provider.empty() ? std::string("unknown provider") : shown(e.provider)) + ", DriverVer " +
           date_or_unknown(e.date) + ", " + e.version.to_string() + ", Models section [" + shown(e.models_section) +
           "], install section [" + shown(e.ddinstall_section) + "]\n";
    out += "     rank " + rank_parts(c.rank) + ": " + describe_match(c.rank.identifier) + "\n";
    out += "     signature: " + signature_words(e.signature) + "\n";
    if (!is_installed) out += "     against the installed driver: " + versus_installed(c, in) + "\n";
  }
  if (a.other_targets) {
    out += "  (" + std::to_string(a.other_targets) +
           " more matching lines are in Models sections for other Windows versions or architectures)\n";
  }
  out += "Verdict: " + std::string(verdict_name(a.verdict)) + ": " + shown(a.reason) + "\n";
  if (!a.attention.empty()) {
    out += std::string(needs_attention(a) ? "Needs attention: " : "Device problem (the update may fix it): ") +
           shown(a.attention) + "\n";
  }
  return out;
}

}  // namespace drvaudit::audit
