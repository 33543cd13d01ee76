#pragma once

#include <string>
#include <vector>

#include "catalog/catalog_store.hpp"
#include "catalog/driver_package.hpp"

// Windows Update as a catalog source: the drivers the Windows Update Agent offers this machine
// (IUpdateSearcher::Search "IsInstalled=0 and Type='Driver'", IWindowsDriverUpdate). Each offer
// becomes a one-line package under the source "windows-update" and ranks like any other candidate.
// Windows Update publishes no driver version and no INF: the audit says so, and drvaudit's updater
// never installs such a candidate itself (Windows Update does).
namespace drvaudit::windows_update {

inline constexpr const char* kSourceKind = "windows-update";

struct DriverOffer {
  std::string title, hardware_id, manufacturer, model, provider, driver_class;
  std::string date;  // DriverVerDate as YYYY-MM-DD; "" when not given
};

struct DriverSearch {
  bool available = false;
  std::string detail;  // "Windows Update source unavailable: ... 0x80004001 ...", or how many were found
  std::vector<DriverOffer> offers;
};

// This machine's Windows Update (Windows); on Linux: unavailable, saying why.
DriverSearch search_drivers();

// One offer as a catalog package for `arch` (a WHQL-signed driver: Windows Update offers no other).
inf::DriverPackage package_of(const DriverOffer& offer, const std::string& arch);

// Replaces what the catalog holds from Windows Update with this search's offers, in one transaction.
void store_offers(catalog::Store& store, const DriverSearch& search, const std::string& arch);

}  // namespace drvaudit::windows_update
