#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

// Extracts a downloaded package (ZIP or CAB) with libarchive into a folder, refusing what a
// package never needs and an attacker would use: absolute paths, "..", links, device files, too
// many entries, and expansion beyond a ratio or a size (a bomb). It extracts into DEST.partial and
// renames that to DEST when every entry is written, so DEST exists only complete; a refused
// archive leaves nothing outside DEST.partial, which is removed.
namespace drvaudit::updater {

struct ExtractLimits {
  std::size_t max_entries = 10'000;
  std::uint64_t max_ratio = 50;          // bytes written per archive byte
  std::uint64_t max_bytes = 8ull << 30;  // 8 GiB
};

struct ExtractResult {
  std::size_t entries = 0;
  std::uint64_t bytes = 0;
};

// Throws drvaudit::Error naming the archive and the entry that was refused.
ExtractResult extract_archive(const std::filesystem::path& archive, const std::filesystem::path& dest,
                              const ExtractLimits& limits = {});

}  // namespace drvaudit::updater
