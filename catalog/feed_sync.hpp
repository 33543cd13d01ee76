#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/catalog_store.hpp"

// catalog sync: fetches a feed source over HTTPS, checks its minisign signature against the key
// configured for the source, and replaces the source's packages in one transaction. An unchanged
// feed (304) costs one request and writes nothing; a feed that fails any check leaves the catalog
// exactly as it was.
namespace drvaudit::catalog {

struct SyncOptions {
  std::optional<std::filesystem::path> ca_file;  // overrides the source's
  // The whole sync, every source, attempt and signature included; the first transfer to reach it
  // ends the sync.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  std::chrono::seconds deadline_length{300};
  std::function<void(std::size_t, std::size_t)> progress;
};

struct SyncResult {
  std::string url;
  bool unchanged = false;
  std::size_t packages = 0;
  bool signature_checked = false;
  std::string signed_comment;  // the trusted comment of the signature
};

SyncResult sync_feed(Store& store, const FeedSource& source, const SyncOptions& options);

// The store half of a sync, for a body whose signature is checked: its packages replace the
// source's in one transaction, with the HTTP validators of this copy. Returns the package count;
// throws (and changes nothing) if the feed is invalid or for another target than the catalog's.
std::size_t replace_feed_content(Store& store, const FeedSource& source, std::string_view body, const std::string& etag,
                                 const std::string& last_modified);

}  // namespace drvaudit::catalog
