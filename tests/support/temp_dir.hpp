#pragma once

#include <filesystem>
#include <string>

namespace drvaudit::test {

// A fresh folder under the system temp directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& content);

// ../shared next to the repository (set by CMake), and the built drvaudit program.
// tests/corpora in the source tree: the open-licence INF files, sysfs trees and device listings.
std::filesystem::path corpus_dir();
std::filesystem::path drvaudit_binary();

}  // namespace drvaudit::test
