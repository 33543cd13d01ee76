#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/driver_package.hpp"

// Signed driver feeds (docs/feed-format.md, data/feed.schema.json): the drivers an organisation
// approves, as the catalog's own driver-package model, so that a feed package ranks exactly like the
// same INF indexed from a folder.
namespace drvaudit::feed {

inline constexpr std::string_view kSchema = "drvaudit-feed/2";
inline constexpr std::size_t kMaxFeedBytes = 256 * 1024 * 1024;

struct Download {
  std::string url;  // relative to the feed, or absolute
  std::int64_t size = 0;
  std::string sha256;
  std::string format = "zip";  // zip | cab
};

struct Package {
  inf::DriverPackage package;  // [Version] facts, every Models section and the signature status
  std::string path;            // the INF's path inside the download
  std::vector<std::string> architectures;
  Download download;
};

struct Feed {
  std::string publisher;
  std::string generated_at;
  std::vector<Package> packages;
};

// Throws ParseError with the JSON Pointer of the first problem.
Feed parse(std::string_view text, const std::string& origin);

// The same, handing each package to the sink as soon as it is read and checked instead of keeping
// them all: the returned Feed has the header only. Packages already handed over before a later
// error are the caller's to discard (the catalog writes them in a transaction it rolls back).
using PackageSink = std::function<void(Package&&)>;
Feed parse(std::string_view text, const std::string& origin, const PackageSink& sink);
std::string serialize(const Feed& feed);

}  // namespace drvaudit::feed
