#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/feed.hpp"

// catalog export: a feed from INF folders. Each INF's folder is zipped next to the feed
// (packages/NAME-HASH.zip), with its size and SHA-256 in the feed; sign the feed with
// `minisign -Sm FEED.json` and publish both on any web server.
namespace drvaudit::catalog {

struct ExportOptions {
  std::filesystem::path out;            // the feed file
  std::optional<std::string> base_url;  // absolute download URLs; relative to the feed otherwise
  std::string publisher = "drvaudit catalog export";
};

feed::Feed export_feed(const std::vector<std::filesystem::path>& folders, const ExportOptions& options);

// Platform code: a zip of every regular file below folder, paths relative to it.
void write_zip(const std::filesystem::path& folder, const std::filesystem::path& zip);

}  // namespace drvaudit::catalog
