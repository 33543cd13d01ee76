#pragma once

#include <windows.h>
#include <wuapi.h>

#include <string>

#include "common/windows/com.hpp"

// The Windows Update Agent's searcher, for the driver search (catalog) and the update history
// (repair diagnose). mingw-w64's libuuid lacks CLSID_UpdateSession (windows-driver-facts.md §4.4).
namespace drvaudit::windows_update {

// Call inside a COM apartment. Under Wine both calls succeed; Search and QueryHistory do not.
HRESULT create_update_searcher(win::Com<IUpdateSearcher>& searcher);

// A COM DATE as YYYY-MM-DD; "" when it is not a date.
std::string date_text(DATE d);

}  // namespace drvaudit::windows_update
