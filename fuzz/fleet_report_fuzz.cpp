// libFuzzer target: any bytes through the fleet's two readers of stored text. The report reader must
// throw ParseError or return a report whose counts agree with its devices; the run_models reader
// must throw ParseError or return positive entries that survive being written and read again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/error.hpp"
#include "fleet/fleet_report.hpp"
#include "fleet/run_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto report = drvaudit::fleet::read_report(bytes);
    std::int64_t counted = 0;
    for (const auto& [verdict, n] : report.summary) counted += n;
    if (counted != static_cast<std::int64_t>(report.devices.size()) || report.machine.empty()) std::abort();
  } catch (const drvaudit::ParseError&) {
  }
  try {
    const auto entries = drvaudit::fleet::decode_run_models(bytes);
    std::int64_t devices = 0;
    for (const auto& e : entries) {
      if (e.id_set <= 0 || e.driver <= 0 || e.devices <= 0) std::abort();
      devices += e.devices;
    }
    std::int64_t again = 0;
    for (const auto& e : drvaudit::fleet::decode_run_models(drvaudit::fleet::encode_run_models(entries)))
      again += e.devices;
    if (again != devices) std::abort();
  } catch (const drvaudit::ParseError&) {
  }
  return 0;
}
