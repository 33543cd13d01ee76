// libFuzzer target: any bytes as a downloaded package (ZIP or CAB) through extract_archive. It must
// extract or throw drvaudit::Error, and never leave anything outside its target folder.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "updater/archive_extract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path root = [] {
    auto p = std::filesystem::temp_directory_path() / ("drvaudit-archive-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  const auto archive = root / "package.zip";
  {
    std::ofstream out(archive, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  drvaudit::updater::ExtractLimits limits;
  limits.max_bytes = 16u << 20;  // keep each run small; the ratio check is the one under test
  try {
    drvaudit::updater::extract_archive(archive, root / "files", limits);
  } catch (const drvaudit::Error&) {
  }
  // Only the archive and (after a success) its folder may exist: nothing escaped.
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    const auto name = e.path().filename();
    if (name != "package.zip" && name != "files") std::abort();
  }
  std::filesystem::remove_all(root / "files");
  return 0;
}
