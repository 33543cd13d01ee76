#include "catalog/inf_decode.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "common/text.hpp"

namespace drvaudit::inf {

namespace {
constexpr std::uint32_t kReplacement = 0xFFFD;

std::string from_utf16(std::string_view bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size() / 2 + 16);
  const std::size_t units = bytes.size() / 2;  // an odd last byte is dropped
  auto unit = [&](std::size_t i) -> std::uint32_t {
    const auto a = static_cast<unsigned char>(bytes[2 * i]);
    const auto b = static_cast<unsigned char>(bytes[2 * i + 1]);
    return big_endian ? (std::uint32_t{a} << 8 | b) : (std::uint32_t{b} << 8 | a);
  };
  for (std::size_t i = 0; i < units; ++i) {
    std::uint32_t u = unit(i);
    if (u == 0 || u == 0x1A) break;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const std::uint32_t low = unit(i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        text::append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = kReplacement;
    text::append_utf8(out, u);
  }
  return out;
}

// Windows-1252 bytes 0x80-0x9F; the rest of the upper half is Latin-1. Undefined bytes map to U+FFFD.
constexpr std::uint16_t kCp1252High[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                           0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                           0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                           0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::string from_cp1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80)
      out += ch;
    else if (c < 0xA0)
      text::append_utf8(out, kCp1252High[c - 0x80]);
    else
      text::append_utf8(out, c);
  }
  return out;
}

std::string_view until_end_of_text(std::string_view s) {
  // Two memchr scans: string_view::find_first_of compares every byte with every needle.
  std::size_t end = s.size();
  if (const void* z = std::memchr(s.data(), 0x1A, s.size()))
    end = static_cast<std::size_t>(static_cast<const char*>(z) - s.data());
  if (const void* n = std::memchr(s.data(), 0, end))
    end = static_cast<std::size_t>(static_cast<const char*>(n) - s.data());
  return s.substr(0, end);
}

// RtlIsTextUnicode-like guess for UTF-16LE without a byte order mark: ASCII text in UTF-16LE has
// a zero in every odd byte.
bool looks_like_utf16le(std::string_view b) {
  if (b.size() < 4) return false;
  const std::size_t sample = std::min<std::size_t>(b.size() / 2, 256);
  std::size_t zero_high = 0;
  for (std::size_t i = 0; i < sample; ++i) zero_high += b[2 * i + 1] == '\0' && b[2 * i] != '\0';
  return zero_high * 10 >= sample * 9;
}
}  // namespace

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::utf8: return "UTF-8";
    case Encoding::utf8_bom: return "UTF-8 with BOM";
    case Encoding::utf16le: return "UTF-16LE";
    case Encoding::utf16be: return "UTF-16BE";
    case Encoding::windows1252: return "Windows-1252";
  }
  return "unknown";
}

std::optional<std::string_view> as_utf8_text(std::string_view bytes) {
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) return std::nullopt;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") return std::nullopt;
  if (looks_like_utf16le(bytes)) return std::nullopt;
  const auto text = until_end_of_text(bytes);
  if (!text::is_valid_utf8(text)) return std::nullopt;
  return text;
}

DecodedText decode(std::string_view bytes) {
  if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE')
    return {from_utf16(bytes.substr(2), false), Encoding::utf16le};
  if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF')
    return {from_utf16(bytes.substr(2), true), Encoding::utf16be};
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    const auto text = until_end_of_text(bytes.substr(3));
    return {text::is_valid_utf8(text) ? std::string(text) : from_cp1252(text), Encoding::utf8_bom};
  }
  if (looks_like_utf16le(bytes)) return {from_utf16(bytes, false), Encoding::utf16le};
  const auto text = until_end_of_text(bytes);
  if (text::is_valid_utf8(text)) return {std::string(text), Encoding::utf8};
  return {from_cp1252(text), Encoding::windows1252};
}

}  // namespace drvaudit::inf
