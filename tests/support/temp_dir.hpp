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

// tests/corpora in the source tree (set by CMake): the open-licence INF files, sysfs trees and
// device listings the tests use.
std::filesystem::path corpus_dir();
// The built drvaudit program.
std::filesystem::path drvaudit_binary();

}  // namespace drvaudit::test
