#pragma once

#include <string>
#include <vector>

// Builds Windows security catalogs (.cat) in the shape MakeCat writes them: PKCS #7 SignedData
// around a certificate trust list whose members are file hashes. The signature bytes are not a
// real signature: drvaudit reads membership and the signer's name, and leaves the chain to
// WinVerifyTrust. Real openssl-signed catalogs are in tests/fixtures/catalogs.
namespace drvaudit::test {

struct CatalogOptions {
  enum class Tag { sha1_hex_utf16, sha256_hex_utf16, file_name } tag = Tag::sha1_hex_utf16;
  bool indirect_digest = true;  // also store the digest in SPC_INDIRECT_DATA, as MakeCat does
  std::string signer = "Contoso Hardware Publisher";
  std::string signing_time = "240521101112Z";  // UTCTime
};

// A catalog listing these files (their bytes).
std::string make_security_catalog(const std::vector<std::string>& members, const CatalogOptions& options = {});

}  // namespace drvaudit::test
