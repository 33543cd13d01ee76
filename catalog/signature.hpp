#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Whether a driver package is really signed: its INF's hash must be a member of the catalog (.cat)
// that its [Version] CatalogFile names (DESIGN.md §4). Only `signed_by_catalog` earns the trusted
// signature score; everything else ranks as Windows ranks unsigned packages.
namespace drvaudit::inf {

enum class SignatureStatus : std::uint8_t {
  signed_by_catalog,  // the INF's SHA-1 or SHA-256 is a member of its catalog
  catalog_missing,    // CatalogFile names a file that is not in the package
  not_in_catalog,     // the catalog does not list this INF: it was modified after signing
  catalog_invalid,    // the catalog file is not a PKCS #7 catalog that could be read
  unsigned_package,   // no CatalogFile at all
  not_checked,        // nobody could look (a catalog upgraded from an older drvaudit)
};
std::string_view signature_status_name(SignatureStatus s);  // "signed", "catalog_missing", …
std::optional<SignatureStatus> parse_signature_status(std::string_view name);
// A sentence for --explain: "signed: the INF is a member of x.cat".
std::string signature_status_text(SignatureStatus s);

// What drvaudit could verify of the catalog's signature chain itself.
enum class ChainStatus : std::uint8_t {
  not_checked,  // Linux, a feed, or a catalog that was not found: membership only
  verified,     // WinVerifyTrust accepted the catalog on this Windows
  untrusted,    // WinVerifyTrust refused it (reason in detail)
};
std::string_view chain_status_name(ChainStatus s);
std::optional<ChainStatus> parse_chain_status(std::string_view name);

struct SignatureInfo {
  std::string arch;          // the architecture whose CatalogFile entry this is
  std::string catalog_file;  // as [Version] names it; "" = unsigned
  SignatureStatus status = SignatureStatus::unsigned_package;
  std::string signer;     // subject common name of the catalog's signer, when read
  std::string signed_at;  // ISO 8601 signing time, when the catalog has one
  ChainStatus chain = ChainStatus::not_checked;
  std::string detail;  // what was wrong, for --explain and `catalog problems`

  bool trusted() const { return status == SignatureStatus::signed_by_catalog && chain != ChainStatus::untrusted; }
  friend bool operator==(const SignatureInfo&, const SignatureInfo&) = default;
};

}  // namespace drvaudit::inf
