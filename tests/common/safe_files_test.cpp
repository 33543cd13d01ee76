#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "common/atomic_file.hpp"
#include "common/bounded_read.hpp"
#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/package_file.hpp"
#include "tests/support/error_text.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

// Files read from folders other users fill and written to folders other users can see: links are
// never followed, special files never read, sizes bounded, modes explicit whatever the umask.
namespace fs = std::filesystem;
using drvaudit::test::error_of;
using drvaudit::test::read_file;
using drvaudit::test::TempDir;
using drvaudit::test::write_file;

namespace {
#ifndef _WIN32
unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// umask 000 for the scope: what drvaudit writes must not become writable by everyone.
struct OpenUmask {
  mode_t old = ::umask(0);
  ~OpenUmask() { ::umask(old); }
};
#endif
}  // namespace

TEST_CASE("package files: copied with their digest, found case-insensitively, absent ones are nullopt") {
  TempDir t;
  fs::create_directories(t / "pkg" / "X64");
  write_file(t / "pkg" / "X64" / "Driver.SYS", "driver bytes");
  const auto copied = drvaudit::package_file::copy_out(t / "pkg", "x64\\driver.sys", t / "copy");
  REQUIRE(copied);
  CHECK(copied->relative == "X64/Driver.SYS");
  CHECK(copied->size == 12);
  CHECK(copied->sha256 == drvaudit::hash::sha256_hex("driver bytes"));
  CHECK(read_file(t / "copy") == "driver bytes");
  CHECK_FALSE(drvaudit::package_file::copy_out(t / "pkg", "x64/other.sys", t / "copy2"));
  CHECK_FALSE(fs::exists(t / "copy2"));
  // The copy is a new file: one that is there (planted, or a link) is never written through.
  CHECK_THAT(error_of([&] { drvaudit::package_file::copy_out(t / "pkg", "x64/driver.sys", t / "copy"); }),
             Catch::Contains("cannot create"));
  CHECK_THAT(error_of([&] { drvaudit::package_file::copy_out(t / "pkg", "../pkg/x64/driver.sys", t / "c3"); }),
             Catch::Contains("climbs out"));
}

#ifndef _WIN32
TEST_CASE("package files: a link at any part of the path, a FIFO or a hard link is refused") {
  TempDir t;
  fs::create_directories(t / "pkg");
  fs::create_directories(t / "elsewhere");
  write_file(t / "secret", "root's file");
  write_file(t / "elsewhere" / "a.sys", "outside");
  fs::create_symlink(t / "secret", t / "pkg" / "link.sys");
  fs::create_directory_symlink(t / "elsewhere", t / "pkg" / "sub");
  CHECK_THAT(error_of([&] { drvaudit::package_file::copy_out(t / "pkg", "link.sys", t / "c1"); }),
             Catch::Contains("symbolic link"));
  CHECK_THAT(error_of([&] { drvaudit::package_file::copy_out(t / "pkg", "sub/a.sys", t / "c2"); }),
             Catch::Contains("symbolic link"));
  REQUIRE(::mkfifo((t / "pkg" / "fifo.sys").c_str(), 0600) == 0);
  CHECK_THAT(error_of([&] { drvaudit::package_file::copy_out(t / "pkg", "fifo.sys", t / "c3"); }),
             Catch::Contains("not a regular file"));
  fs::create_hard_link(t / "secret", t / "pkg" / "hard.sys");
  CHECK_THAT(error_of([&] { drvaudit::package_file::copy_out(t / "pkg", "hard.sys", t / "c4"); }),
             Catch::Contains("hard links"));
  CHECK_FALSE(fs::exists(t / "c1"));
  CHECK_FALSE(fs::exists(t / "c2"));
}

TEST_CASE("atomic writes: a planted link is never followed, replaced or made the result") {
  TempDir t;
  write_file(t / "victim", "keep me");
  fs::create_symlink(t / "victim", t / "report.json");
  CHECK_THAT(error_of([&] { drvaudit::write_file_atomically(t / "report.json", "new"); }),
             Catch::Contains("symbolic link"));
  CHECK(read_file(t / "victim") == "keep me");
  CHECK(fs::is_symlink(t / "report.json"));
  // Links planted at likely temporary names: none is written through, the result is a regular file.
  for (int i = 0; i < 200; ++i) fs::create_symlink(t / "victim", t / (".out.json.tmp" + std::to_string(i)));
  drvaudit::write_file_atomically(t / "out.json", "report");
  CHECK(read_file(t / "victim") == "keep me");
  CHECK(fs::is_regular_file(fs::symlink_status(t / "out.json")));
  CHECK(read_file(t / "out.json") == "report");
  // Nothing left behind but the planted links.
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(t.path()))
    entries += e.path().filename().string().starts_with(".out.json.tmp") ? 1 : 0;
  CHECK(entries == 200);
}

TEST_CASE("atomic writes and folders: explicit modes under umask 000") {
  TempDir t;
  const OpenUmask open;
  drvaudit::make_folders(t / "root" / "etc" / "cron.d");
  CHECK(mode_of(t / "root") == 0755);
  CHECK(mode_of(t / "root" / "etc" / "cron.d") == 0755);
  drvaudit::write_file_atomically(t / "root" / "etc" / "cron.d" / "drvaudit", "x", drvaudit::kModeSystemFile);
  CHECK(mode_of(t / "root" / "etc" / "cron.d" / "drvaudit") == 0644);
  drvaudit::write_file_atomically(t / "report.json", "x", drvaudit::kModeReport);
  CHECK(mode_of(t / "report.json") == 0640);
  drvaudit::write_file_atomically(t / "state.json", "x", drvaudit::kModePrivate);
  CHECK(mode_of(t / "state.json") == 0600);
}

TEST_CASE("bounded reads: sparse giants, /dev/zero, FIFOs and links are refused without reading them") {
  TempDir t;
  const drvaudit::ReadBounds bounds{1 << 20, std::chrono::seconds(5), "--max-report-size"};
  {
    std::FILE* f = std::fopen((t / "sparse.json").c_str(), "w");
    REQUIRE(f);
    REQUIRE(::ftruncate(::fileno(f), std::int64_t{50} << 30) == 0);  // 50 GB, no block on disk
    std::fclose(f);
  }
  const auto said = error_of([&] { drvaudit::read_bounded_file(t / "sparse.json", bounds); });
  CHECK_THAT(said, Catch::Contains("53687091200 bytes") && Catch::Contains("--max-report-size"));
  fs::create_symlink("/dev/zero", t / "zero.json");
  CHECK_THAT(error_of([&] { drvaudit::read_bounded_file(t / "zero.json", bounds); }), Catch::Contains("symbolic link"));
  CHECK_THAT(error_of([&] { drvaudit::read_bounded_file("/dev/zero", bounds); }),
             Catch::Contains("not a regular file"));
  REQUIRE(::mkfifo((t / "fifo.json").c_str(), 0600) == 0);
  CHECK_THAT(error_of([&] { drvaudit::read_bounded_file(t / "fifo.json", bounds); }),
             Catch::Contains("not a regular file"));
  write_file(t / "ok.json", std::string(1000, 'x'));
  CHECK(drvaudit::read_bounded_file(t / "ok.json", bounds).size() == 1000);
  write_file(t / "big.json", std::string((1 << 20) + 1, 'x'));
  CHECK_THAT(error_of([&] { drvaudit::read_bounded_file(t / "big.json", bounds); }), Catch::Contains("more than"));
}
#endif
