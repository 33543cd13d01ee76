#include "catalog/feed_export.hpp"
#include "common/error.hpp"

namespace drvaudit::catalog {

// Publishing feeds is done on Linux for now (libarchive is not part of the Windows build).
void write_zip(const std::filesystem::path&, const std::filesystem::path&) {
  throw UnsupportedError("catalog export runs on Linux for now: build the feed there and publish it");
}

}  // namespace drvaudit::catalog
