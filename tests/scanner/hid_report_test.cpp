#include <catch2/catch.hpp>

#include <string>

#include "scanner/hid_report.hpp"

using drvaudit::hidreport::top_level_collections;

namespace {
std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}
}  // namespace

TEST_CASE("a boot mouse descriptor has one collection: Generic Desktop / Mouse") {
  // Usage Page (Generic Desktop), Usage (Mouse), Collection (Application), Usage (Pointer),
  // Collection (Physical), ..., End Collection, End Collection
  const auto d = bytes({0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0x05, 0x09, 0x19, 0x01,
                        0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x95, 0x03, 0x75, 0x01, 0x81, 0x02, 0xC0, 0xC0});
  const auto c = top_level_collections(d);
  REQUIRE(c.size() == 1);
  CHECK(c[0].usage_page == 0x01);
  CHECK(c[0].usage == 0x02);
}

TEST_CASE("several top-level collections are all found, nested ones are not") {
  const auto d = bytes({0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0xC0, 0xC0,  // keyboard
                        0x05, 0x0C, 0x09, 0x01, 0xA1, 0x01, 0xC0,                                // consumer control
                        0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0xC0});                        // vendor page 0xFF00
  const auto c = top_level_collections(d);
  REQUIRE(c.size() == 3);
  CHECK((c[0].usage_page == 0x01 && c[0].usage == 0x06));
  CHECK((c[1].usage_page == 0x0C && c[1].usage == 0x01));
  CHECK((c[2].usage_page == 0xFF00 && c[2].usage == 0x01));
}

TEST_CASE("truncated and hostile descriptors never read past their end") {
  CHECK(top_level_collections("").empty());
  CHECK(top_level_collections(bytes({0x06, 0x01})).empty());                  // 2-byte item cut short
  CHECK(top_level_collections(bytes({0xFE, 0xFF, 0x00})).empty());            // long item claiming 255 bytes
  CHECK(top_level_collections(bytes({0xC0, 0xC0, 0xA1, 0x01})).size() == 1);  // stray End Collections
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  (void)top_level_collections(noise);
  SUCCEED("no crash on pseudo-random bytes");
}
