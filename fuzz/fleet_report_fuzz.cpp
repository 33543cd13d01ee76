// libFuzzer target: any bytes through the fleet's report reader. It must throw ParseError or
// return a report whose counts agree with its devices.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/error.hpp"
#include "fleet/fleet_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto report = drvaudit::fleet::read_report(std::string_view(reinterpret_cast<const char*>(data), size));
    std::int64_t counted = 0;
    for (const auto& [verdict, n] : report.summary) counted += n;
    if (counted != static_cast<std::int64_t>(report.devices.size()) || report.machine.empty()) std::abort();
  } catch (const drvaudit::ParseError&) {
  }
  return 0;
}
