#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "catalog/catalog_store.hpp"
#include "common/package_file.hpp"
#include "updater/stage.hpp"

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

// Copies the named files (each passes the package path rule) from a package folder into `to`,
// never through a link (package_file::copy_out); files that are absent are left out (the package
// check names them). Returns what was copied, with the digest of each copy.
std::vector<package_file::Copied> copy_package(const std::filesystem::path& from, const std::vector<std::string>& files,
                                               const std::filesystem::path& to);

class PackageCache {
 public:
  explicit PackageCache(std::filesystem::path root) : root_(std::move(root)) {}
  // Throws drvaudit::Error when the package cannot be had (download refused, archive refused).
  CachedPackage fetch(const catalog::Entry& entry, const std::string& arch,
                      const std::optional<std::filesystem::path>& ca_file);
  // A staged package (update --from-stage): its files are copied from the stage folder into the
  // cache, each checked against the manifest's size and SHA-256 as it is copied, and installed from
  // there. Throws drvaudit::Error naming every file that differs.
  CachedPackage from_stage(const std::filesystem::path& stage_dir, const StagedPackage& staged);

 private:
  CachedPackage from_folder(const catalog::Entry& entry, const std::string& arch);
  CachedPackage from_download(const catalog::Entry& entry, const std::optional<std::filesystem::path>& ca_file);
  std::filesystem::path root_;
};

}  // namespace drvaudit::updater
