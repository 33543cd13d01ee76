#include "catalog/signature_check.hpp"

namespace drvaudit::catalog {

ChainCheck verify_catalog_chain(const std::filesystem::path&) {
  return {inf::ChainStatus::not_checked, {}, "signature chain not verified: Linux has no Windows driver trust store"};
}

// Linux has no system catalog database: a package's catalog is the file beside its INF.
std::optional<std::filesystem::path> find_system_catalog(std::string_view, std::string_view) { return std::nullopt; }
bool has_system_catalogs() { return false; }

}  // namespace drvaudit::catalog
