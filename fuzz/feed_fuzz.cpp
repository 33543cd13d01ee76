// libFuzzer target: any bytes through the feed loader, and any signature file through minisign
// verification. Both must either succeed or throw their documented error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/feed.hpp"
#include "catalog/minisign.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    (void)drvaudit::feed::serialize(drvaudit::feed::parse(bytes, "fuzz.json"));
  } catch (const drvaudit::ParseError&) {
  }
  static const auto key =
      drvaudit::minisign::parse_public_key("RWSDo8YbHJ2bDD5itLIV1a0bjhKmYhVAiggk2N5yjYqXwtTnmR669/cn");
  try {
    (void)drvaudit::minisign::verify("hello\n", bytes, key);
  } catch (const drvaudit::minisign::SignatureError&) {
  }
  try {
    (void)drvaudit::minisign::parse_public_key(bytes);
  } catch (const drvaudit::minisign::SignatureError&) {
  }
  return 0;
}
