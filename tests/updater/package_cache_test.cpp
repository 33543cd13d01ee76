#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>

#include "catalog/catalog_store.hpp"
#include "common/error.hpp"
#include "common/hash.hpp"
#include "tests/support/error_text.hpp"
#include "tests/support/temp_dir.hpp"
#include "updater/package_cache.hpp"
#include "updater/package_check.hpp"
#include "updater/stage.hpp"

// The package cache against hostile package folders: a name that leaves the folder refuses the
// package before a byte is copied anywhere, links in the folder are not followed, and a staged
// package is installed from the cache's verified copy, never from the stage folder.
namespace fs = std::filesystem;
using drvaudit::test::error_of;
using drvaudit::test::read_file;
using drvaudit::test::TempDir;
using drvaudit::test::write_file;

namespace {
std::string inf_with_files(const std::string& source_disks_files) {
  return "[Version]\r\nSignature=\"$Windows NT$\"\r\nClass=Mouse\r\nProvider=Evil\r\nDriverVer=01/01/2026,1.0.0.0\r\n"
         "[Manufacturer]\r\nEvil=Models,NTamd64\r\n[Models.NTamd64]\r\n%Dev%=Inst,HID\\VID_1234&PID_5678\r\n"
         "[Inst]\r\nCopyFiles=Files\r\n[Files]\r\nx.sys\r\n[SourceDisksNames]\r\n1=%Disk%\r\n"
         "[SourceDisksFiles]\r\n" +
         source_disks_files + "\r\n[Strings]\r\nDev=\"Device\"\r\nDisk=\"Disk\"\r\n";
}

drvaudit::catalog::Entry entry_for(const fs::path& inf) {
  drvaudit::catalog::Entry e;
  e.path = inf.string();
  e.inf_name = inf.filename().string();
  e.location.kind = drvaudit::catalog::PackageLocation::Kind::folder;
  e.location.folder = inf.parent_path().string();
  return e;
}

}  // namespace

TEST_CASE("package cache: a SourceDisksFiles entry that climbs out refuses the package, nothing is written") {
  TempDir t;
  const auto usb = t / "usb" / "a" / "b" / "c";
  fs::create_directories(usb);
  fs::create_directories(t / "etc" / "cron.d");
  // The attacker's file, named so that INF_DIR/entry and files.partial/entry both climb to etc/cron.d.
  write_file(t / "usb" / "a" / "b" / "c" / "x.sys", "driver");
  write_file(t / "etc" / "cron.d" / "x", "root's cron file");
  const std::string climb = "..\\..\\..\\..\\..\\..\\etc\\cron.d\\x";
  write_file(usb / "evil.inf", inf_with_files(climb + "=1"));
  drvaudit::updater::PackageCache cache(t / "state" / "packages");
  const auto said = error_of([&] { cache.fetch(entry_for(usb / "evil.inf"), "amd64", std::nullopt); });
  CHECK_THAT(said, Catch::Contains("climbs out") && Catch::Contains("SourceDisksFiles"));
  CHECK(read_file(t / "etc" / "cron.d" / "x") == "root's cron file");
  // No file of the package anywhere in the cache.
  std::size_t files = 0;
  if (fs::exists(t / "state" / "packages"))
    for (const auto& e : fs::recursive_directory_iterator(t / "state" / "packages"))
      files += e.is_regular_file() ? 1 : 0;
  CHECK(files == 0);
  for (const auto& name : {std::string("C:\\windows\\system32\\drvaudit-planted.dll=1"), std::string("NUL.txt=1"),
                           std::string("\\\\srv\\share\\x.dll=1")}) {
    write_file(usb / "evil.inf", inf_with_files(name));
    CHECK_THAT(error_of([&] { cache.fetch(entry_for(usb / "evil.inf"), "amd64", std::nullopt); }),
               Catch::Contains("SourceDisksFiles"));
  }
}

#ifndef _WIN32
TEST_CASE("package cache: a package file that is a symbolic link is refused, not followed") {
  TempDir t;
  fs::create_directories(t / "pkg");
  write_file(t / "secret", "root's file");
  write_file(t / "pkg" / "good.inf", inf_with_files("x.sys=1"));
  fs::create_symlink(t / "secret", t / "pkg" / "x.sys");
  drvaudit::updater::PackageCache cache(t / "packages");
  CHECK_THAT(error_of([&] { cache.fetch(entry_for(t / "pkg" / "good.inf"), "amd64", std::nullopt); }),
             Catch::Contains("symbolic link"));
}
#endif

TEST_CASE("package cache: a folder package is copied whole, by the digest of the INF copied") {
  TempDir t;
  fs::create_directories(t / "pkg");
  write_file(t / "pkg" / "good.inf", inf_with_files("x.sys=1"));
  write_file(t / "pkg" / "x.sys", "driver");
  drvaudit::updater::PackageCache cache(t / "packages");
  const auto got = cache.fetch(entry_for(t / "pkg" / "good.inf"), "amd64", std::nullopt);
  CHECK(got.fetched);
  CHECK(got.folder == t / "packages" / drvaudit::hash::sha256_file_hex(t / "pkg" / "good.inf") / "files");
  CHECK(read_file(got.folder / "x.sys") == "driver");
  CHECK_FALSE(cache.fetch(entry_for(t / "pkg" / "good.inf"), "amd64", std::nullopt).fetched);  // cached
  std::size_t incoming = 0;
  for (const auto& e : fs::directory_iterator(t / "packages"))
    incoming += e.path().filename().string().starts_with("incoming") ? 1 : 0;
  CHECK(incoming == 0);
}

TEST_CASE("package cache: a staged package is installed from a verified private copy") {
  TempDir t;
  const auto stage = t / "stage";
  fs::create_directories(stage / "packages" / "p");
  write_file(stage / "packages" / "p" / "good.inf", inf_with_files("x.sys=1"));
  write_file(stage / "packages" / "p" / "x.sys", "driver");
  drvaudit::updater::StagedPackage staged;
  staged.folder = "packages/p";
  staged.inf = "good.inf";
  for (const auto* f : {"good.inf", "x.sys"}) {
    const auto file = stage / "packages" / "p" / f;
    staged.files.push_back({f, static_cast<std::int64_t>(fs::file_size(file)), drvaudit::hash::sha256_file_hex(file)});
  }
  drvaudit::updater::PackageCache cache(t / "packages");
  const auto copy = cache.from_stage(stage, staged);
  CHECK(copy.inf.parent_path().parent_path().parent_path() == t / "packages");
  // The stage folder changes after the check (while the restore point is made): the copy does not.
  write_file(stage / "packages" / "p" / "good.inf", inf_with_files("x.sys=1\r\nother.sys=1"));
  CHECK(read_file(copy.inf) == inf_with_files("x.sys=1"));
  // And a stage folder changed before the copy is refused, naming the file.
  CHECK_THAT(error_of([&] { cache.from_stage(stage, staged); }),
             Catch::Contains("packages/p/good.inf differs from the manifest"));
  staged.files.push_back({"../../escape.sys", 1, std::string(64, '0')});
  CHECK_THAT(error_of([&] { cache.from_stage(stage, staged); }), Catch::Contains("climbs out"));
}
