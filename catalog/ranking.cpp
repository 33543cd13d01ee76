#include "catalog/ranking.hpp"

#include "common/hardware_id.hpp"
#include "common/text.hpp"

namespace drvaudit::rank {

std::string_view match_type_name(MatchType type) {
  switch (type) {
    case MatchType::hardware_to_hardware: return "hardware_id";
    case MatchType::hardware_to_compatible: return "hardware_id_to_compatible_id";
    case MatchType::compatible_to_hardware: return "compatible_id_to_hardware_id";
    case MatchType::compatible_to_compatible: return "compatible_id";
  }
  return "unknown";
}

std::optional<IdentifierMatch> best_identifier_match(const std::vector<std::string>& hwids,
                                                     const std::vector<std::string>& cids, std::string_view entry_hwid,
                                                     const std::vector<std::string>& entry_cids) {
  std::optional<IdentifierMatch> best;
  auto consider = [&](std::uint32_t score, MatchType type, std::size_t dev_pos, std::size_t entry_pos,
                      const std::string& id) {
    if (!best || score < best->score) best = IdentifierMatch{score, type, dev_pos, entry_pos, id};
  };
  // Position scores stay inside their 0x1000 band.
  constexpr std::size_t kMaxPosition = 0xFFF;
  for (std::size_t i = 0; i < hwids.size() && i <= kMaxPosition; ++i) {
    const auto pos = static_cast<std::uint32_t>(i);
    if (!entry_hwid.empty() && hwid::equals(hwids[i], entry_hwid)) {
      consider(0x0000 + pos, MatchType::hardware_to_hardware, i, 0, hwids[i]);
      return best;  // nothing can beat the first hardware-ID match
    }
    for (std::size_t k = 0; k < entry_cids.size(); ++k) {
      if (hwid::equals(hwids[i], entry_cids[k]))
        consider(0x1000 + pos, MatchType::hardware_to_compatible, i, k, hwids[i]);
    }
  }
  for (std::size_t j = 0; j < cids.size() && j <= kMaxPosition; ++j) {
    const auto pos = static_cast<std::uint32_t>(j);
    if (!entry_hwid.empty() && hwid::equals(cids[j], entry_hwid))
      consider(0x2000 + pos, MatchType::compatible_to_hardware, j, 0, cids[j]);
    for (std::size_t k = 0; k < entry_cids.size(); ++k) {
      const std::size_t score = 0x3000 + j + 0x100 * k;
      if (score <= 0x3FFF && hwid::equals(cids[j], entry_cids[k])) {
        consider(static_cast<std::uint32_t>(score), MatchType::compatible_to_compatible, j, k, cids[j]);
      }
    }
  }
  return best;
}

std::uint32_t signature_score(Signature s) {
  switch (s) {
    case Signature::trusted: return 0x00000000;
    case Signature::unsigned_nt: return 0x80000000;
    case Signature::unsigned_legacy: return 0xC0000000;
    case Signature::unknown: return 0xFF000000;
  }
  return 0xFF000000;
}

std::string_view signature_name(Signature s) {
  switch (s) {
    case Signature::trusted: return "signed (catalog file; trusted signers rank alike)";
    case Signature::unsigned_nt: return "unsigned, .nt install section (DRIVER_UNTRUSTED_RANK)";
    case Signature::unsigned_legacy: return "unsigned, undecorated install section (DRIVER_W9X_SUSPECT_RANK)";
    case Signature::unknown: return "signature unknown";
  }
  return "signature unknown";
}

std::uint32_t Rank::value() const {
  // The unsigned tiers are whole-rank values in setupapi.h (0x80000000, 0xC0000000); the
  // feature and identifier scores still order matches within a tier.
  return signature_score(signature) + (std::uint32_t{feature_score} << 16) + identifier.score;
}

int compare(std::uint32_t rank_a, const DriverDate& date_a, const DriverVersion& version_a, std::uint32_t rank_b,
            const DriverDate& date_b, const DriverVersion& version_b) {
  if (rank_a != rank_b) return rank_a < rank_b ? -1 : 1;
  if (date_a != date_b) return date_a > date_b ? -1 : 1;
  if (version_a != version_b) return version_a > version_b ? -1 : 1;
  return 0;
}

std::string hex(std::uint32_t rank) { return "0x" + text::hex(rank, 8); }

}  // namespace drvaudit::rank
