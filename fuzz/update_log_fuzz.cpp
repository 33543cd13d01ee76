// libFuzzer target: any bytes as %windir%\WindowsUpdate.log. Every error it reports is a failure
// HRESULT (top bit set), and no more than asked for.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "updater/repair/update_errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto errors =
      drvaudit::repair::parse_windows_update_log(std::string_view(reinterpret_cast<const char*>(data), size), 20);
  if (errors.size() > 20) std::abort();
  for (const auto& e : errors)
    if ((e.code & 0x80000000U) == 0) std::abort();
  return 0;
}
