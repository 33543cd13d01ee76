#include <catch2/catch.hpp>

#include "common/text.hpp"

namespace text = drvaudit::text;

TEST_CASE("hex parsing accepts an optional 0x and rejects junk") {
  CHECK(text::parse_hex("0x8086") == 0x8086u);
  CHECK(text::parse_hex(" 06ed\n") == 0x06EDu);
  CHECK_FALSE(text::parse_hex("0x").has_value());
  CHECK_FALSE(text::parse_hex("12g4").has_value());
  CHECK_FALSE(text::parse_hex("10000", 0xFFFF).has_value());
  CHECK_FALSE(text::parse_hex("ffffffffff").has_value());
  CHECK(text::hex(0x6ED, 4) == "06ED");
  CHECK(text::hex(0x1234, 2) == "34");
}

TEST_CASE("device strings become valid UTF-8") {
  CHECK(text::sanitize_utf8("plain") == "plain");
  CHECK(text::sanitize_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(text::sanitize_utf8("\xA0x") == "\xEF\xBF\xBDx");                        // stray continuation byte
  CHECK(text::sanitize_utf8("\xC3") == "\xEF\xBF\xBD");                          // truncated sequence
  CHECK(text::sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong '/'
  CHECK(text::sanitize_utf8("\xED\xA0\x80").find("\xED") == std::string::npos);  // surrogate
  CHECK(text::sanitize_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
}

TEST_CASE("escape_control: control characters, bidi overrides and bytes that are not UTF-8 are escaped") {
  using drvaudit::text::escape_control;
  CHECK(escape_control("plain Ünïcödé 日本語 C:\\Windows") == "plain Ünïcödé 日本語 C:\\Windows");
  CHECK(escape_control("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(escape_control("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(escape_control(std::string("nul\0", 4)) == "nul\\x00");
  CHECK(escape_control("del\x7f") == "del\\x7f");
  CHECK(escape_control("c1\xC2\x9B"
                       "31m") == "c1\\u009b31m");                            // CSI as a C1 character
  CHECK(escape_control("evil\xE2\x80\xAEtxt.exe") == "evil\\u202etxt.exe");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(escape_control("iso\xE2\x81\xA6x") == "iso\\u2066x");
  CHECK(escape_control("caf\xFF") == "caf\\xff");
  CHECK(escape_control("\xC3") == "\\xc3");  // a sequence cut short
}

TEST_CASE("hex_bytes: two lower-case digits a byte") {
  CHECK(drvaudit::text::hex_bytes("caf\xFF") == "636166ff");
  CHECK(drvaudit::text::hex_bytes(std::string("\0\x10", 2)) == "0010");
  CHECK(drvaudit::text::hex_bytes("").empty());
}
