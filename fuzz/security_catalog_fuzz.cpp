// libFuzzer target: any bytes through the DER reader and the security-catalog (.cat) reader.
// Finding = a crash, a sanitizer report, a hang, or an error that is not a ParseError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/security_catalog.hpp"
#include "common/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto catalog = drvaudit::inf::read_security_catalog(bytes);
    (void)catalog.contains(std::string(20, '\x01'), std::string(32, '\x02'));
  } catch (const drvaudit::ParseError&) {
    // Refusing what is not a catalog is the correct outcome.
  }
  return 0;
}
