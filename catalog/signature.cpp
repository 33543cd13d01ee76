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

// The two directions of one name table.
template <typename Enum, std::size_t N>
std::string_view name_in(const std::pair<Enum, std::string_view> (&table)[N], Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "not_checked";
}
template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const std::pair<Enum, std::string_view> (&table)[N], std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}
}  // namespace

std::string_view signature_status_name(SignatureStatus s) { return name_in(kStatusNames, s); }
std::optional<SignatureStatus> parse_signature_status(std::string_view name) { return value_in(kStatusNames, name); }

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

std::string_view chain_status_name(ChainStatus s) { return name_in(kChainNames, s); }
std::optional<ChainStatus> parse_chain_status(std::string_view name) { return value_in(kChainNames, name); }

}  // namespace drvaudit::inf
