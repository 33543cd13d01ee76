#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

// A package download: streamed over HTTPS to FILE.part (never held in memory), hashed while it is
// written, resumed with Range/If-Range after a cut, and renamed to FILE only when its size and
// SHA-256 are the ones the feed promised. A refused download leaves no FILE.
namespace drvaudit::updater {

struct DownloadRequest {
  std::string url;
  std::optional<std::filesystem::path> ca_file;
  std::int64_t size = 0;
  std::string sha256;  // lower-case hex
  std::filesystem::path file;
  int attempts = 4;  // each resumes where the last one stopped
};

struct DownloadResult {
  std::int64_t transferred = 0;  // bytes received in this run (a resume receives only what was missing)
  std::int64_t resumed_from = 0;
  int attempts = 0;
};

// Throws drvaudit::Error saying what was wrong (HTTP, size, digest).
DownloadResult download_package(const DownloadRequest& request);

}  // namespace drvaudit::updater
