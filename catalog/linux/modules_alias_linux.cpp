#include <sys/utsname.h>

#include "catalog/module_aliases.hpp"

namespace drvaudit::catalog {

std::optional<std::filesystem::path> default_modules_alias_file() {
  utsname uts{};
  if (::uname(&uts) != 0) return std::nullopt;
  std::filesystem::path file = std::filesystem::path("/lib/modules") / uts.release / "modules.alias";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

}  // namespace drvaudit::catalog
