#include "catalog/module_aliases.hpp"

namespace drvaudit::catalog {

// Windows has no kernel-module aliases; its drivers come from the driver store.
std::optional<std::filesystem::path> default_modules_alias_file() { return std::nullopt; }

}  // namespace drvaudit::catalog
