#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "catalog/catalog_store.hpp"

// The state folder's package cache (packages/): a package is copied or downloaded there before it
// is checked and installed, never used in place. A folder source's package (its INF, catalog and
// SourceDisksFiles) is copied to packages/<INF SHA-256>/files; a feed's archive is downloaded to
// packages/<archive SHA-256>/package.zip|cab and extracted to files/ beside it. Both appear whole
// (renamed into place) or not at all; a cached, verified package is not fetched again.
namespace drvaudit::updater {

struct CachedPackage {
  std::filesystem::path folder;  // the package's files
  std::filesystem::path inf;     // its INF inside folder
  std::string origin;            // where it came from, for the plan
  bool fetched = false;          // false: it was in the cache already
  std::int64_t transferred = 0;  // bytes downloaded now
};

class PackageCache {
 public:
  explicit PackageCache(std::filesystem::path root) : root_(std::move(root)) {}
  // Throws drvaudit::Error when the package cannot be had (download refused, archive refused).
  CachedPackage fetch(const catalog::Entry& entry, const std::string& arch,
                      const std::optional<std::filesystem::path>& ca_file);

 private:
  CachedPackage from_folder(const catalog::Entry& entry, const std::string& arch);
  CachedPackage from_download(const catalog::Entry& entry, const std::optional<std::filesystem::path>& ca_file);
  std::filesystem::path root_;
};

}  // namespace drvaudit::updater
