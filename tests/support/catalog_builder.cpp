#include "tests/support/catalog_builder.hpp"

#include <cstdint>

#include "common/hash.hpp"
#include "common/text.hpp"

namespace drvaudit::test {

namespace {
std::string tlv(std::uint8_t tag, const std::string& content) {
  std::string out(1, static_cast<char>(tag));
  const auto n = content.size();
  if (n < 0x80) {
    out += static_cast<char>(n);
  } else {
    std::string len;
    for (auto v = n; v; v >>= 8) len.insert(len.begin(), static_cast<char>(v & 0xFF));
    out += static_cast<char>(0x80 | len.size());
    out += len;
  }
  return out + content;
}
std::string seq(const std::string& c) { return tlv(0x30, c); }
std::string set(const std::string& c) { return tlv(0x31, c); }
std::string octets(const std::string& c) { return tlv(0x04, c); }
std::string integer(std::uint8_t v) { return tlv(0x02, std::string(1, static_cast<char>(v))); }
std::string ctx0(const std::string& c) { return tlv(0xA0, c); }
std::string null_value() { return std::string("\x05\x00", 2); }

std::string oid(const std::string& dotted) {
  std::vector<std::uint64_t> parts;
  for (auto p : text::split(dotted, '.')) parts.push_back(std::stoull(std::string(p)));
  std::string body(1, static_cast<char>(parts[0] * 40 + parts[1]));
  for (std::size_t i = 2; i < parts.size(); ++i) {
    std::string bytes;
    auto v = parts[i];
    bytes.insert(bytes.begin(), static_cast<char>(v & 0x7F));
    for (v >>= 7; v; v >>= 7) bytes.insert(bytes.begin(), static_cast<char>(0x80 | (v & 0x7F)));
    body += bytes;
  }
  return tlv(0x06, body);
}

std::string name(const std::string& cn) { return seq(set(seq(oid("2.5.4.3") + tlv(0x0C, cn)))); }

std::string utf16_hex(const std::string& raw) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : raw) {
    for (const char d : {kDigits[c >> 4], kDigits[c & 0xF]}) {
      out += d;
      out += '\0';
    }
  }
  return out + std::string(2, '\0');
}
}  // namespace

std::string make_security_catalog(const std::vector<std::string>& members, const CatalogOptions& o) {
  const bool sha256 = o.tag == CatalogOptions::Tag::sha256_hex_utf16;
  const std::string digest_algorithm = seq(oid(sha256 ? "2.16.840.1.101.3.4.2.1" : "1.3.14.3.2.26") + null_value());
  std::string subjects;
  int n = 0;
  for (const auto& bytes : members) {
    const std::string digest = sha256 ? hash::sha256_digest(bytes) : hash::sha1_digest(bytes);
    const std::string tag =
        o.tag == CatalogOptions::Tag::file_name ? "member" + std::to_string(n++) + ".inf" : utf16_hex(digest);
    std::string attributes;
    if (o.indirect_digest) {
      const std::string indirect =
          seq(seq(oid("1.3.6.1.4.1.311.2.1.25") + null_value()) + seq(digest_algorithm + octets(digest)));
      attributes = set(seq(oid("1.3.6.1.4.1.311.2.1.4") + set(indirect)));
    }
    subjects += seq(octets(tag) + attributes);
  }
  const std::string ctl =
      seq(seq(oid("1.3.6.1.4.1.311.12.1.1")) + octets(std::string(16, '\x11')) + tlv(0x17, "240521101112Z") +
          seq(oid("1.3.6.1.4.1.311.12.1.2") + null_value()) + seq(subjects));
  const std::string issuer = name("drvaudit Test Root");
  const std::string serial = integer(0x2A);
  const std::string algorithm = seq(oid("1.2.840.113549.1.1.11") + null_value());
  const std::string tbs = seq(
      ctx0(integer(2)) + serial + algorithm + issuer + seq(tlv(0x17, "240101000000Z") + tlv(0x17, "340101000000Z")) +
      name(o.signer) + seq(seq(oid("1.2.840.113549.1.1.1") + null_value()) + tlv(0x03, std::string("\x00\x01", 2))));
  const std::string certificate = seq(tbs + algorithm + tlv(0x03, std::string("\x00\x02", 2)));
  const std::string authenticated = tlv(0xA0, seq(oid("1.2.840.113549.1.9.5") + set(tlv(0x17, o.signing_time))));
  const std::string signer_info =
      seq(integer(1) + seq(issuer + serial) + seq(oid("1.3.14.3.2.26") + null_value()) + authenticated +
          seq(oid("1.2.840.113549.1.1.1") + null_value()) + octets(std::string(32, '\x5A')));
  const std::string signed_data =
      seq(integer(1) + set(seq(oid("1.3.14.3.2.26") + null_value())) + seq(oid("1.3.6.1.4.1.311.10.1") + ctx0(ctl)) +
          ctx0(certificate) + set(signer_info));
  return seq(oid("1.2.840.113549.1.7.2") + ctx0(signed_data));
}

}  // namespace drvaudit::test
