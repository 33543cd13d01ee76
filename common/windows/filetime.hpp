#pragma once

#include <cstdint>

namespace drvaudit::win {

// FILETIME counts 100 ns ticks since 1601; times 100 that overflows int64, so shift to the Unix
// epoch first.
inline std::int64_t filetime_to_unix_ns(std::int64_t ticks) {
  constexpr std::int64_t kTicksFrom1601To1970 = 116444736000000000;
  return (ticks - kTicksFrom1601To1970) * 100;
}

}  // namespace drvaudit::win
