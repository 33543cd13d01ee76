// libFuzzer target: any bytes through the feed loader, and any signature file through minisign
// verification. Both must either succeed or throw their documented error; an accepted feed must
// also be valid JSON and survive a round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "catalog/feed.hpp"
#include "catalog/minisign.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto feed = drvaudit::feed::parse(bytes, "fuzz.json");
    // What the streaming reader accepts is valid JSON by nlohmann's own DOM parser, streams the
    // same packages, and reads back from its serialised form to the same feed.
    if (!nlohmann::json::accept(bytes)) std::abort();
    std::size_t streamed = 0;
    (void)drvaudit::feed::parse(bytes, "fuzz.json", [&](drvaudit::feed::Package&&) { ++streamed; });
    if (streamed != feed.packages.size()) std::abort();
    const auto text = drvaudit::feed::serialize(feed);
    if (drvaudit::feed::serialize(drvaudit::feed::parse(text, "round-trip.json")) != text) std::abort();
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
