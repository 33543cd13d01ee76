#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/driver_date.hpp"
#include "common/driver_version.hpp"

// Windows' driver ranking (how-windows-ranks-driver-packages.md; windows-driver-facts.md §1):
// rank 0xSSGGTHHH = signature score + feature score + identifier score, lower is better; equal
// ranks are decided by the newer DriverVer date, then the higher DriverVer version.
namespace drvaudit::rank {

enum class MatchType {
  hardware_to_hardware,      // device hardware ID #i = the entry's hardware ID: 0x0000 + i
  hardware_to_compatible,    // device hardware ID #i = one of the entry's compatible IDs: 0x1000 + i
  compatible_to_hardware,    // device compatible ID #j = the entry's hardware ID: 0x2000 + j
  compatible_to_compatible,  // device compatible ID #j = the entry's compatible ID #k: 0x3000 + j + 0x100*k
};
std::string_view match_type_name(MatchType type);  // "hardware_id", "compatible_id", …

struct IdentifierMatch {
  std::uint32_t score = 0;
  MatchType type = MatchType::hardware_to_hardware;
  std::size_t device_position = 0;  // i or j
  std::size_t entry_position = 0;   // k for an entry compatible ID, 0 for its hardware ID
  std::string device_id;            // the device's ID as it reported it
};

// The best (lowest) identifier score between a device and one Models line, or nullopt.
std::optional<IdentifierMatch> best_identifier_match(const std::vector<std::string>& device_hardware_ids,
                                                     const std::vector<std::string>& device_compatible_ids,
                                                     std::string_view entry_hardware_id,
                                                     const std::vector<std::string>& entry_compatible_ids);

enum class Signature {
  trusted,          // WHQL, inbox, Authenticode (all signers equal since Windows 7): 0x00000000
  unsigned_nt,      // no signature, DDInstall with a .nt* extension: DRIVER_UNTRUSTED_RANK 0x80000000
  unsigned_legacy,  // no signature, undecorated DDInstall: DRIVER_W9X_SUSPECT_RANK 0xC0000000
  unknown,          // 0xFF000000
};
std::uint32_t signature_score(Signature s);
std::string_view signature_name(Signature s);

struct Rank {
  Signature signature = Signature::unknown;
  std::uint8_t feature_score = 0xFF;
  IdentifierMatch identifier;
  std::uint32_t value() const;
};

// Orders two matches the way Windows chooses: rank, then date (newer first), then version.
// Negative when a is better than b.
int compare(std::uint32_t rank_a, const DriverDate& date_a, const DriverVersion& version_a, std::uint32_t rank_b,
            const DriverDate& date_b, const DriverVersion& version_b);

std::string hex(std::uint32_t rank);  // "0x00FF2001"

}  // namespace drvaudit::rank
