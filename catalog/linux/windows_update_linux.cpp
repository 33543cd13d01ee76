#include "catalog/windows_update.hpp"

namespace drvaudit::windows_update {

DriverSearch search_drivers() { return {false, "Windows Update is a Windows source: not on Linux", {}}; }

}  // namespace drvaudit::windows_update
