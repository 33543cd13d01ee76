#include "catalog/signature_check.hpp"

namespace drvaudit::catalog {

ChainCheck verify_catalog_chain(const std::filesystem::path&) {
  return {inf::ChainStatus::not_checked, {}, "signature chain not verified: Linux has no Windows driver trust store"};
}

}  // namespace drvaudit::catalog
