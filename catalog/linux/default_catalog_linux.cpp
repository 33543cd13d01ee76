#include "catalog/default_catalog.hpp"

namespace drvaudit::catalog {

std::vector<std::filesystem::path> default_inf_folders() { return {}; }

inf::TargetOs default_target() { return inf::TargetOs{}; }

}  // namespace drvaudit::catalog
