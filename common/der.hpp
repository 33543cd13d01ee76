#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A bounds-checked reader of DER (ASN.1 distinguished encoding), enough for PKCS #7 catalogs and
// X.509 names. Bytes from files are untrusted: every length is checked against what is left, no
// value is copied, and a malformed encoding is a ParseError, never a read out of bounds.
namespace drvaudit::der {

inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kSet = 0x31;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kUtcTime = 0x17;
inline constexpr std::uint8_t kGeneralizedTime = 0x18;
inline constexpr std::uint8_t kContext0 = 0xA0;  // [0] constructed

struct Element {
  std::uint8_t tag = 0;
  std::string_view contents;  // the value bytes, inside the buffer the reader was given
  std::string_view encoded;   // tag, length and value
  bool constructed() const { return (tag & 0x20) != 0; }
};

// Reads the elements of one level, front to back.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  explicit Reader(std::string&&) = delete;  // it keeps views into the bytes: they must outlive it
  bool empty() const { return rest_.empty(); }
  // The next element; throws ParseError when the encoding is cut or its length is invalid.
  Element next();
  // The next element if it has this tag; nothing is consumed otherwise.
  std::optional<Element> next_if(std::uint8_t tag);
  // The next element, which must have this tag (what names the structure in the error).
  Element expect(std::uint8_t tag, const char* what);

 private:
  std::string_view rest_;
};

// "1.2.840.113549.1.7.2"; throws ParseError on a malformed OID.
std::string oid_text(const Element& oid);
// UTCTime or GeneralizedTime as ISO 8601 ("2024-05-21T10:11:12Z"); nullopt when malformed.
std::optional<std::string> time_text(const Element& time);
// The text of a DirectoryString (UTF8String, PrintableString, IA5String, BMPString as UTF-8).
std::string string_text(const Element& value);
// The common name (2.5.4.3) of an X.501 Name, else "" .
std::string common_name(const Element& name);

}  // namespace drvaudit::der
