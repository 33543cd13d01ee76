#include "catalog/security_catalog.hpp"

#include <optional>

#include "common/der.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::inf {

namespace {
using der::Element;
using der::Reader;

constexpr std::string_view kSignedData = "1.2.840.113549.1.7.2";
constexpr std::string_view kCtl = "1.3.6.1.4.1.311.10.1";
constexpr std::string_view kIndirectData = "1.3.6.1.4.1.311.2.1.4";
constexpr std::string_view kSigningTime = "1.2.840.113549.1.9.5";
constexpr std::string_view kCounterSignature = "1.2.840.113549.1.9.6";
constexpr std::string_view kRfc3161Timestamp = "1.3.6.1.4.1.311.3.3.1";

[[noreturn]] void not_catalog(const std::string& why) { throw ParseError("not a PKCS #7 catalog: " + why); }

std::string upper_hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : raw) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

// A member tag as text: MakeCat writes the digest as upper-case hex in UTF-16LE; some tools
// write ASCII. Other tags (file names) give text that matches no digest.
std::string tag_text(std::string_view tag) {
  std::string out;
  const bool utf16 = tag.size() >= 2 && tag[1] == '\0';
  for (std::size_t i = 0; i < tag.size(); i += utf16 ? 2 : 1) {
    if (tag[i] == '\0') break;
    out += tag[i];
  }
  return text::to_upper(out);
}

// SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }
std::optional<std::string> indirect_digest(const Element& value) {
  if (value.tag != der::kSequence) return std::nullopt;
  Reader content(value.contents);
  content.expect(der::kSequence, "SpcAttributeTypeAndOptionalValue");
  const auto digest_info = content.expect(der::kSequence, "DigestInfo");
  Reader info(digest_info.contents);
  info.expect(der::kSequence, "digest algorithm");
  return std::string(info.expect(der::kOctetString, "digest").contents);
}

void read_trusted_subjects(const Element& subjects, SecurityCatalog& out) {
  Reader list(subjects.contents);
  while (!list.empty()) {
    const auto subject = list.next();
    if (subject.tag != der::kSequence) continue;
    Reader fields(subject.contents);
    out.subject_identifiers.emplace_back(fields.expect(der::kOctetString, "member identifier").contents);
    const auto attributes = fields.next_if(der::kSet);
    if (!attributes) continue;
    Reader attribute_list(attributes->contents);
    while (!attribute_list.empty()) {
      const auto attribute = attribute_list.next();
      if (attribute.tag != der::kSequence) continue;
      Reader parts(attribute.contents);
      if (der::oid_text(parts.expect(der::kOid, "attribute type")) != kIndirectData) continue;
      Reader values(parts.expect(der::kSet, "attribute values").contents);
      while (!values.empty()) {
        if (auto digest = indirect_digest(values.next())) out.member_digests.push_back(std::move(*digest));
      }
    }
  }
}

// CertificateTrustList: version?, subjectUsage, listIdentifier?, sequenceNumber?, thisUpdate,
// nextUpdate?, subjectAlgorithm, trustedSubjects?, extensions [0]?
void read_ctl(std::string_view bytes, SecurityCatalog& out) {
  Reader outer(bytes);
  const auto ctl = outer.expect(der::kSequence, "certificate trust list");
  Reader r(ctl.contents);
  r.next_if(der::kInteger);
  r.expect(der::kSequence, "subject usage");
  r.next_if(der::kOctetString);
  r.next_if(der::kInteger);
  if (!r.next_if(der::kUtcTime) && !r.next_if(der::kGeneralizedTime)) not_catalog("the trust list has no date");
  if (!r.next_if(der::kUtcTime)) r.next_if(der::kGeneralizedTime);
  r.expect(der::kSequence, "subject algorithm");
  if (auto subjects = r.next_if(der::kSequence)) read_trusted_subjects(*subjects, out);
}

std::optional<std::string> signing_time_in(std::string_view attributes_contents);

// The genTime of an RFC 3161 timestamp token (a SignedData over TSTInfo).
std::optional<std::string> rfc3161_time(const Element& token) {
  Reader content_info(token.contents);
  if (token.tag != der::kSequence) return std::nullopt;
  if (der::oid_text(content_info.expect(der::kOid, "content type")) != kSignedData) return std::nullopt;
  Reader explicit0(content_info.expect(der::kContext0, "content").contents);
  Reader signed_data(explicit0.expect(der::kSequence, "SignedData").contents);
  signed_data.expect(der::kInteger, "version");
  signed_data.expect(der::kSet, "digest algorithms");
  Reader encap(signed_data.expect(der::kSequence, "encapsulated content").contents);
  encap.expect(der::kOid, "content type");
  Reader wrapped(encap.expect(der::kContext0, "content").contents);
  Reader octets(wrapped.expect(der::kOctetString, "TSTInfo bytes").contents);
  Reader tst(octets.expect(der::kSequence, "TSTInfo").contents);
  tst.expect(der::kInteger, "version");
  tst.expect(der::kOid, "policy");
  tst.expect(der::kSequence, "message imprint");
  tst.expect(der::kInteger, "serial number");
  return der::time_text(tst.expect(der::kGeneralizedTime, "genTime"));
}

std::optional<std::string> signing_time_in(std::string_view attributes_contents) {
  Reader attributes(attributes_contents);
  while (!attributes.empty()) {
    const auto attribute = attributes.next();
    if (attribute.tag != der::kSequence) continue;
    Reader parts(attribute.contents);
    const auto type = der::oid_text(parts.expect(der::kOid, "attribute type"));
    Reader values(parts.expect(der::kSet, "attribute values").contents);
    if (values.empty()) continue;
    const auto value = values.next();
    if (type == kSigningTime) return der::time_text(value);
    if (type == kCounterSignature && value.tag == der::kSequence) {
      // A SignerInfo whose authenticated attributes carry the time.
      Reader counter(value.contents);
      while (!counter.empty()) {
        const auto field = counter.next();
        if (field.tag == der::kContext0) return signing_time_in(field.contents);
      }
    }
    if (type == kRfc3161Timestamp) return rfc3161_time(value);
  }
  return std::nullopt;
}

struct SignerId {
  std::string_view issuer, serial;
};

// The subject CN of the certificate with this issuer and serial number.
std::string signer_name(std::string_view certificates, const SignerId& id) {
  Reader list(certificates);
  while (!list.empty()) {
    const auto certificate = list.next();
    if (certificate.tag != der::kSequence) continue;
    Reader cert(certificate.contents);
    Reader tbs(cert.expect(der::kSequence, "tbsCertificate").contents);
    tbs.next_if(der::kContext0);  // version
    const auto serial = tbs.expect(der::kInteger, "serial number");
    tbs.expect(der::kSequence, "signature algorithm");
    const auto issuer = tbs.expect(der::kSequence, "issuer");
    tbs.expect(der::kSequence, "validity");
    const auto subject = tbs.expect(der::kSequence, "subject");
    if (serial.contents == id.serial && issuer.encoded == id.issuer) return der::common_name(subject);
  }
  return {};
}
}  // namespace

bool SecurityCatalog::contains(std::string_view sha1, std::string_view sha256) const {
  for (const auto& d : member_digests) {
    if (d == sha1 || d == sha256) return true;
  }
  const auto hex1 = upper_hex(sha1), hex256 = upper_hex(sha256);
  for (const auto& tag : subject_identifiers) {
    if (tag == sha1 || tag == sha256) return true;
    const auto t = tag_text(tag);
    if (t == hex1 || t == hex256) return true;
  }
  return false;
}

SecurityCatalog read_security_catalog(std::string_view bytes) {
  if (bytes.size() > kMaxCatalogBytes) not_catalog("larger than 64 MiB");
  SecurityCatalog out;
  try {
    Reader top(bytes);
    const auto content_info = top.expect(der::kSequence, "ContentInfo");
    Reader ci(content_info.contents);
    if (der::oid_text(ci.expect(der::kOid, "content type")) != kSignedData) not_catalog("not PKCS #7 SignedData");
    Reader explicit0(ci.expect(der::kContext0, "SignedData wrapper").contents);
    Reader sd(explicit0.expect(der::kSequence, "SignedData").contents);
    sd.expect(der::kInteger, "version");
    sd.expect(der::kSet, "digest algorithms");
    Reader encap(sd.expect(der::kSequence, "encapsulated content").contents);
    if (der::oid_text(encap.expect(der::kOid, "content type")) != kCtl) not_catalog("the content is no trust list");
    Reader wrapped(encap.expect(der::kContext0, "trust list").contents);
    // PKCS #7 as MakeCat writes it puts the list itself here; CMS wraps it in an OCTET STRING.
    const auto content = wrapped.next();
    read_ctl(content.tag == der::kOctetString ? content.contents : content.encoded, out);

    std::string_view certificates;
    if (auto certs = sd.next_if(der::kContext0)) certificates = certs->contents;
    sd.next_if(0xA1);  // CRLs
    Reader signers(sd.expect(der::kSet, "signer infos").contents);
    if (!signers.empty()) {
      Reader signer(signers.expect(der::kSequence, "signer info").contents);
      signer.expect(der::kInteger, "signer version");
      const auto sid = signer.next();
      if (sid.tag == der::kSequence) {
        Reader issuer_serial(sid.contents);
        const auto issuer = issuer_serial.expect(der::kSequence, "issuer");
        const auto serial = issuer_serial.expect(der::kInteger, "serial number");
        out.signer = signer_name(certificates, {issuer.encoded, serial.contents});
      }
      signer.expect(der::kSequence, "digest algorithm");
      if (auto authenticated = signer.next_if(der::kContext0))
        out.signed_at = signing_time_in(authenticated->contents).value_or("");
      signer.expect(der::kSequence, "signature algorithm");
      signer.expect(der::kOctetString, "signature");
      if (auto unauthenticated = signer.next_if(0xA1); unauthenticated && out.signed_at.empty())
        out.signed_at = signing_time_in(unauthenticated->contents).value_or("");
    }
  } catch (const ParseError& e) {
    const std::string what = e.what();
    if (what.rfind("not a PKCS #7 catalog", 0) == 0) throw;
    not_catalog(what);
  }
  return out;
}

}  // namespace drvaudit::inf
