#include "catalog/signature.hpp"

namespace drvaudit::inf {

namespace {
constexpr std::pair<SignatureStatus, std::string_view> kStatusNames[] = {
    {SignatureStatus::signed_by_catalog, "signed"},      {SignatureStatus::catalog_missing, "catalog_missing"},
    {SignatureStatus::not_in_catalog, "not_in_catalog"}, {SignatureStatus::catalog_invalid, "catalog_invalid"},
    {SignatureStatus::unsigned_package, "unsigned"},     {SignatureStatus::not_checked, "not_checked"},
};
constexpr std::pair<ChainStatus, std::string_view> kChainNames[] = {
    {ChainStatus::not_checked, "not_checked"},
    {ChainStatus::verified, "verified"},
    {ChainStatus::untrusted, "untrusted"},
};
}  // namespace

std::string_view signature_status_name(SignatureStatus s) {
  for (const auto& [status, name] : kStatusNames) {
    if (status == s) return name;
  }
  return "not_checked";
}

std::optional<SignatureStatus> parse_signature_status(std::string_view name) {
  for (const auto& [status, n] : kStatusNames) {
    if (n == name) return status;
  }
  return std::nullopt;
}

std::string signature_status_text(SignatureStatus s) {
  switch (s) {
    case SignatureStatus::signed_by_catalog: return "signed: the INF's hash is a member of its catalog";
    case SignatureStatus::catalog_missing: return "not signed: the catalog file its CatalogFile names is missing";
    case SignatureStatus::not_in_catalog: return "not signed: the INF is not in its catalog (modified after signing)";
    case SignatureStatus::catalog_invalid: return "not signed: its catalog file could not be read as a catalog";
    case SignatureStatus::unsigned_package: return "unsigned: the INF names no catalog file";
    case SignatureStatus::not_checked: return "signature not checked";
  }
  return "signature not checked";
}

std::string_view chain_status_name(ChainStatus s) {
  for (const auto& [status, name] : kChainNames) {
    if (status == s) return name;
  }
  return "not_checked";
}

std::optional<ChainStatus> parse_chain_status(std::string_view name) {
  for (const auto& [status, n] : kChainNames) {
    if (n == name) return status;
  }
  return std::nullopt;
}

}  // namespace drvaudit::inf
