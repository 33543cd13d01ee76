#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog_store.hpp"

// Indexes the .inf files below a folder into the catalog: new and changed files are parsed,
// unchanged ones are skipped (same size and mtime, and the same catalog files beside them; or, when
// only the mtime changed, the same SHA-256 as when they were last parsed), removed ones dropped;
// files that could not be read last time, or were indexed by an older drvaudit, are read again. One
// folder is one transaction: an interrupted run leaves the catalog as it was.
namespace drvaudit::catalog {

struct IndexOptions {
  // Called after each file with (files done, files in all, path).
  std::function<void(std::size_t, std::size_t, const std::string&)> progress;
};

struct IndexReport {
  std::string folder;
  std::size_t files = 0, unchanged = 0, added = 0, updated = 0, removed = 0;
  std::size_t packages = 0, templates = 0, failures = 0;
  std::uint64_t bytes_read = 0;
  std::vector<std::pair<std::string, std::string>> problems;  // path, what is wrong (templates included)
  std::vector<std::string> warnings;  // "path:line: message" for packages indexed despite a problem
  bool changed() const { return added || updated || removed; }
};

IndexReport index_folder(Store& store, const std::filesystem::path& folder, const IndexOptions& options);

// Whether a path names an INF file (".inf", any case).
bool is_inf_file(const std::filesystem::path& path);

}  // namespace drvaudit::catalog
