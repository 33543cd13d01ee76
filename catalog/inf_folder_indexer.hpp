#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog_store.hpp"

// Indexes the .inf files below a folder into the catalog: new and changed files are parsed,
// unchanged ones are skipped (same size and mtime, and the same catalog files beside them; or, when
// only the mtime changed, the same SHA-256 as when they were last parsed), removed ones dropped;
// files that could not be read last time, or were indexed by an older drvaudit, are read again.
// Files are committed in batches, each a consistent catalog (a file is stored whole with its
// package, or not at all): a run that is interrupted or killed keeps the batches it finished, and
// the next run goes on from there, since those files are then unchanged.
namespace drvaudit::catalog {

struct IndexOptions {
  // Called after each file with (files done, files in all, path).
  std::function<void(std::size_t, std::size_t, const std::string&)> progress;
  // Asked between files; true stops the run after committing the files done so far.
  std::function<bool()> stop_requested;
  std::size_t batch_files = 500;               // a commit after this many changed files
  std::chrono::milliseconds batch_time{2000};  // or after this long, whichever comes first
};

struct IndexReport {
  std::string folder;
  std::size_t files = 0, unchanged = 0, added = 0, updated = 0, removed = 0;
  std::size_t packages = 0, templates = 0, failures = 0;
  std::uint64_t bytes_read = 0;
  std::vector<std::pair<std::string, std::string>> problems;  // path, what is wrong (templates included)
  std::vector<std::string> warnings;  // "path:line: message" for packages indexed despite a problem
  std::size_t batches = 0;            // commits made
  bool interrupted = false;           // stop_requested said so: the files after `done` were not looked at
  std::size_t done = 0;               // files looked at (and kept)
  bool changed() const { return added || updated || removed; }
};

IndexReport index_folder(Store& store, const std::filesystem::path& folder, const IndexOptions& options);

// Whether a path names an INF file (".inf", any case).
bool is_inf_file(const std::filesystem::path& path);

}  // namespace drvaudit::catalog
