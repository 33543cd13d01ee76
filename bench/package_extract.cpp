// Verify and extract driver packages the way update does (issue 12): the archive's SHA-256 streamed
// from disk, then libarchive extraction with the hostile-archive checks, for 1 GiB of packages.
// Reports MB/s on one core and the process's peak RSS, which must not grow with the package size.
//
// usage: package_extract WORK_DIR [MIB]   (default 1024 MiB, written once as WORK_DIR/packages.zip)
#include <archive.h>
#include <archive_entry.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/hash.hpp"
#include "updater/archive_extract.hpp"

namespace {
// Random bytes: driver binaries compress little, and incompressible data is the slow case to inflate.
void generate(const std::filesystem::path& zip, std::size_t mib) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), &archive_write_free);
  archive_write_set_format_zip(a.get());
  archive_write_open_filename(a.get(), zip.string().c_str());
  std::mt19937_64 random(1);
  std::vector<std::uint64_t> block(1 << 17);  // 1 MiB
  const std::size_t per_file = 64;
  for (std::size_t f = 0; f * per_file < mib; ++f) {
    const std::size_t this_file = std::min(per_file, mib - f * per_file);
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), &archive_entry_free);
    archive_entry_set_pathname(e.get(), ("drivers/x64/part" + std::to_string(f) + ".sys").c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(this_file << 20));
    archive_write_header(a.get(), e.get());
    for (std::size_t m = 0; m < this_file; ++m) {
      for (auto& v : block) v = random();
      archive_write_data(a.get(), block.data(), block.size() * sizeof(std::uint64_t));
    }
  }
  archive_write_close(a.get());
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: package_extract WORK_DIR [MIB]\n");
    return 2;
  }
  const std::filesystem::path work = argv[1];
  const std::size_t mib = argc > 2 ? std::stoul(argv[2]) : 1024;
  std::filesystem::create_directories(work);
  const auto zip = work / "packages.zip";
  if (!std::filesystem::exists(zip)) generate(zip, mib);
  const auto archive_bytes = std::filesystem::file_size(zip);
  std::filesystem::remove_all(work / "files");

  const auto start = std::chrono::steady_clock::now();
  const auto digest = drvaudit::hash::sha256_file_hex(zip);
  const auto hashed = std::chrono::steady_clock::now();
  const auto result = drvaudit::updater::extract_archive(zip, work / "files");
  const auto done = std::chrono::steady_clock::now();

  const double hash_s = std::chrono::duration<double>(hashed - start).count();
  const double extract_s = std::chrono::duration<double>(done - hashed).count();
  const double total_s = std::chrono::duration<double>(done - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("archive %.0f MB (SHA-256 %.12s…), %zu entries, %.0f MB extracted\n", archive_bytes / 1e6, digest.c_str(),
              result.entries, result.bytes / 1e6);
  std::printf("verify %.1f s (%.0f MB/s), extract %.1f s (%.0f MB/s), verify + extract %.0f MB/s\n", hash_s,
              archive_bytes / 1e6 / hash_s, extract_s, result.bytes / 1e6 / extract_s, archive_bytes / 1e6 / total_s);
  std::printf("peak RSS %.1f MB\n", usage.ru_maxrss / 1024.0);
  std::filesystem::remove_all(work / "files");
  return 0;
}
