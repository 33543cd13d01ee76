#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/driver_package.hpp"

// Decides each signature status of a package from the files beside its INF: the catalog that
// CatalogFile names must exist, read as a catalog, and list the INF's hash (DESIGN.md §4).
namespace drvaudit::catalog {

// Finds the file a CatalogFile entry names beside an INF, case-insensitively as Windows does. It
// lists a folder once and keeps that listing while the INFs it is asked about are in the same
// folder (an index walks folder by folder); the folder is assumed not to change meanwhile.
class CatalogFinder {
 public:
  std::optional<std::filesystem::path> find(const std::filesystem::path& inf_path, const std::string& name);

 private:
  std::filesystem::path folder_;
  std::vector<std::pair<std::string, std::filesystem::path>> files_;  // lower-case name, path
  bool listed_ = false;
};

// Fills in the signatures of a package parsed from inf_bytes, read from inf_path. Returns the
// stamp of the catalog files it read ("name size mtime" lines), so that an index can tell when a
// catalog changed although its INF did not.
std::string check_signatures(inf::DriverPackage& package, std::string_view inf_bytes,
                             const std::filesystem::path& inf_path, CatalogFinder& finder);
std::string check_signatures(inf::DriverPackage& package, std::string_view inf_bytes,
                             const std::filesystem::path& inf_path);

// The stamp check_signatures would return for these catalog names now, without reading them.
std::string catalog_stamp(const std::filesystem::path& inf_path, const std::string& previous_stamp,
                          CatalogFinder& finder);

struct ChainCheck {
  inf::ChainStatus status = inf::ChainStatus::not_checked;
  std::string signer;  // as the platform reports it, "" when it does not
  std::string detail;
};
// The platform's verdict on the catalog's signature chain: WinVerifyTrust on Windows; not checked
// on Linux, which has no trust store for driver signers.
ChainCheck verify_catalog_chain(const std::filesystem::path& catalog);

// Windows: the catalog in the system's catalog database (CatRoot) that lists a file with these
// raw digests, for INFs whose catalog is not beside them (inbox INFs, %windir%\INF\oemNN.inf).
// nullopt elsewhere, and when no catalog lists it.
std::optional<std::filesystem::path> find_system_catalog(std::string_view sha1, std::string_view sha256);
// Whether this platform has a system catalog database to ask (hashing an INF for nothing costs).
bool has_system_catalogs();

}  // namespace drvaudit::catalog
