// libFuzzer target: any bytes through the snapshot loader. It must throw ParseError or succeed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.hpp"
#include "scanner/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto inventory =
        drvaudit::snapshot::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    (void)drvaudit::snapshot::serialize(inventory);
  } catch (const drvaudit::ParseError&) {
  }
  return 0;
}
