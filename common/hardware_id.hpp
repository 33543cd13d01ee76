#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Hardware and compatible IDs as Windows defines them (hardware-ids.md): "<enumerator>\<id>" or a
// generic "*<id>". IDs compare case-insensitively; the canonical form is upper case.
namespace drvaudit::hwid {

// MAX_DEVICE_ID_LEN is 200 including the terminating NUL.
inline constexpr std::size_t kMaxLength = 199;

std::string canonical(std::string_view id);
bool equals(std::string_view a, std::string_view b);

// A well-formed ID: 1..kMaxLength printable ASCII characters, no spaces or commas.
bool is_valid(std::string_view id);

struct Parts {
  std::string_view enumerator;  // "PCI", "USB", … ; "*" for generic IDs; "" when none
  std::string_view rest;        // everything after the first '\' (or after '*')
};
Parts split(std::string_view id);

}  // namespace drvaudit::hwid
