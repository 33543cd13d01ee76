// libFuzzer target: any bytes through the INF decoder, parser and driver-package reader.
// Finding = a crash, a sanitizer report, or a hang (libFuzzer's -timeout).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/driver_package.hpp"
#include "catalog/ranking.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const auto target = drvaudit::inf::TargetOs::parse("10.0.22631", "amd64");
  try {
    const auto pkg = drvaudit::inf::load_package(bytes, "fuzz.inf", 0x0407);
    (void)pkg.models_for(target);  // the per-machine section choice on whatever decorations came out
    // Rank every Models line against a device made of its own IDs, as an audit would.
    for (const auto& m : pkg.models) {
      const std::vector<std::string> hw = {m.hardware_id};
      (void)drvaudit::rank::best_identifier_match(hw, m.compatible_ids, m.hardware_id, m.compatible_ids);
    }
  } catch (const drvaudit::inf::NotAnInf&) {
    // Refusing a non-INF is the correct outcome.
  }
  return 0;
}
