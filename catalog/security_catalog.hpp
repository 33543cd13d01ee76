#pragma once

#include <string>
#include <string_view>
#include <vector>

// A Windows security catalog (.cat): a PKCS #7 SignedData whose content is a certificate trust
// list (szOID_CTL) of member files, each identified by its hash. Read with a bounds-checked DER
// reader; this proves membership, not the signature chain (that is WinVerifyTrust's job on Windows).
namespace drvaudit::inf {

inline constexpr std::size_t kMaxCatalogBytes = 64u * 1024 * 1024;

struct SecurityCatalog {
  std::vector<std::string> subject_identifiers;  // each member's tag, as stored (raw bytes)
  std::vector<std::string> member_digests;       // the digests of SPC_INDIRECT_DATA, raw bytes
  std::string signer;                            // the signer certificate's subject CN, "" when absent
  std::string signed_at;                         // ISO 8601, "" when the catalog has no signing time

  // Whether a file with these digests (raw SHA-1 and SHA-256 of its bytes) is a member.
  bool contains(std::string_view sha1, std::string_view sha256) const;
};

// Throws ParseError when the bytes are not a catalog ("not a PKCS #7 catalog: …").
SecurityCatalog read_security_catalog(std::string_view der_bytes);

}  // namespace drvaudit::inf
