#pragma once

#include <optional>
#include <string>
#include <string_view>

// INF bytes to UTF-8 text (DESIGN.md §4): UTF-16LE/BE and UTF-8 by their byte order marks, UTF-8
// without a mark when the bytes are valid UTF-8, otherwise Windows-1252 (the ANSI code page of the
// INFs in the wild). Ctrl-Z (0x1A) and NUL end the text, as in Windows' and Wine's parsers.
namespace drvaudit::inf {

enum class Encoding { utf8, utf8_bom, utf16le, utf16be, windows1252 };
std::string_view encoding_name(Encoding e);

struct DecodedText {
  std::string utf8;
  Encoding encoding = Encoding::utf8;
};

DecodedText decode(std::string_view bytes);

// The text the bytes hold when it needs no conversion (valid UTF-8 without a BOM, cut at Ctrl-Z or
// NUL): a view of the same bytes, so that the common case costs no copy.
std::optional<std::string_view> as_utf8_text(std::string_view bytes);

}  // namespace drvaudit::inf
