#include "common/der.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::der {

namespace {
[[noreturn]] void malformed(const std::string& what) { throw ParseError("malformed DER: " + what); }

}  // namespace

Element Reader::next() {
  if (rest_.size() < 2) malformed("element cut short");
  const auto* p = reinterpret_cast<const unsigned char*>(rest_.data());
  Element e;
  e.tag = p[0];
  if ((e.tag & 0x1F) == 0x1F) malformed("multi-byte tags are not used by catalogs");
  std::size_t header = 2;
  std::size_t length = p[1];
  if (length & 0x80) {
    const std::size_t octets = length & 0x7F;
    // Indefinite lengths (0x80) are BER, not DER; more than 4 length octets exceed any file here.
    if (octets == 0 || octets > 4) malformed("unsupported length encoding");
    if (rest_.size() < 2 + octets) malformed("length cut short");
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | p[2 + i];
    header += octets;
  }
  if (length > rest_.size() - header) malformed("length beyond the end of the data");
  e.contents = rest_.substr(header, length);
  e.encoded = rest_.substr(0, header + length);
  rest_.remove_prefix(header + length);
  return e;
}

std::optional<Element> Reader::next_if(std::uint8_t tag) {
  if (rest_.empty() || static_cast<std::uint8_t>(rest_[0]) != tag) return std::nullopt;
  return next();
}

Element Reader::expect(std::uint8_t tag, const char* what) {
  if (rest_.empty()) malformed(std::string(what) + " is missing");
  auto e = next();
  if (e.tag != tag) malformed(std::string(what) + " has an unexpected type");
  return e;
}

std::string oid_text(const Element& oid) {
  if (oid.tag != kOid || oid.contents.empty() || oid.contents.size() > 64) malformed("object identifier");
  std::string out;
  std::uint64_t value = 0;
  bool first = true;
  for (std::size_t i = 0; i < oid.contents.size(); ++i) {
    const auto b = static_cast<unsigned char>(oid.contents[i]);
    value = (value << 7) | (b & 0x7F);
    if (value > (std::uint64_t{1} << 56)) malformed("object identifier component too large");
    if (b & 0x80) {
      if (i + 1 == oid.contents.size()) malformed("object identifier cut short");
      continue;
    }
    if (first) {
      const std::uint64_t top = value < 40 ? 0 : value < 80 ? 1 : 2;
      out = std::to_string(top) + "." + std::to_string(value - top * 40);
      first = false;
    } else {
      out += "." + std::to_string(value);
    }
    value = 0;
  }
  return out;
}

std::optional<std::string> time_text(const Element& time) {
  const auto s = time.contents;
  auto digits = [&](std::size_t from, std::size_t n) -> std::optional<int> {
    if (from + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  std::optional<int> year;
  std::size_t at = 0;
  if (time.tag == kUtcTime) {
    year = digits(0, 2);
    if (year) *year += *year < 50 ? 2000 : 1900;  // RFC 5280 §4.1.2.5.1
    at = 2;
  } else if (time.tag == kGeneralizedTime) {
    year = digits(0, 4);
    at = 4;
  }
  const auto month = digits(at, 2), day = digits(at + 2, 2), hour = digits(at + 4, 2), minute = digits(at + 6, 2),
             second = digits(at + 8, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 || *day < 1 || *day > 31 ||
      *hour > 23 || *minute > 59 || *second > 60)
    return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", *year, *month, *day, *hour, *minute, *second);
  return std::string(buf);
}

std::string string_text(const Element& value) {
  if (value.tag == 0x1E) {  // BMPString: UTF-16BE
    std::string out;
    for (std::size_t i = 0; i + 1 < value.contents.size(); i += 2) {
      const auto cp = static_cast<std::uint32_t>((static_cast<unsigned char>(value.contents[i]) << 8) |
                                                 static_cast<unsigned char>(value.contents[i + 1]));
      text::append_utf8(out, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
    }
    return out;
  }
  return std::string(value.contents);
}

std::string common_name(const Element& name) {
  if (name.tag != kSequence) return {};
  Reader rdns(name.contents);
  while (!rdns.empty()) {
    const auto rdn = rdns.next();
    if (rdn.tag != kSet) continue;
    Reader attributes(rdn.contents);
    while (!attributes.empty()) {
      const auto attribute = attributes.next();
      if (attribute.tag != kSequence) continue;
      Reader parts(attribute.contents);
      const auto type = parts.expect(kOid, "attribute type");
      if (oid_text(type) == "2.5.4.3" && !parts.empty()) return string_text(parts.next());
    }
  }
  return {};
}

}  // namespace drvaudit::der
