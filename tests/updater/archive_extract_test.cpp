#include <archive.h>
#include <archive_entry.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>

#include "common/error.hpp"
#include "tests/support/temp_dir.hpp"
#include "updater/archive_extract.hpp"

// Package extraction against archives written here with libarchive: good ones extract whole, and
// every kind of hostile or broken one is refused with nothing left outside the target.
namespace {
struct Entry {
  Entry(std::string n, std::string d, unsigned t = AE_IFREG, std::string l = "")
      : name(std::move(n)), data(std::move(d)), type(t), link(std::move(l)) {}
  std::string name;
  std::string data;
  unsigned type;
  std::string link;
};

void write_zip(const std::filesystem::path& file, const std::vector<Entry>& entries) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), &archive_write_free);
  archive_write_set_format_zip(a.get());
  REQUIRE(archive_write_open_filename(a.get(), file.string().c_str()) == ARCHIVE_OK);
  for (const auto& e : entries) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), &archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.name.c_str());
    archive_entry_set_filetype(entry.get(), e.type);
    archive_entry_set_perm(entry.get(), 0644);
    if (!e.link.empty()) archive_entry_set_symlink(entry.get(), e.link.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.data.size()));
    REQUIRE(archive_write_header(a.get(), entry.get()) == ARCHIVE_OK);
    if (!e.data.empty()) archive_write_data(a.get(), e.data.data(), e.data.size());
  }
  archive_write_close(a.get());
}

// Everything in the folder, so a test can see that a refusal wrote nothing.
std::vector<std::string> listing(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    names.push_back(std::filesystem::relative(e.path(), dir).generic_string());
  std::sort(names.begin(), names.end());
  return names;
}

void refused(const std::vector<Entry>& entries, const std::string& why, drvaudit::updater::ExtractLimits limits = {}) {
  drvaudit::test::TempDir dir;
  write_zip(dir / "p.zip", entries);
  std::string message;
  try {
    drvaudit::updater::extract_archive(dir / "p.zip", dir / "out", limits);
  } catch (const drvaudit::Error& e) {
    message = e.what();
  }
  INFO(message);
  CHECK(message.find(why) != std::string::npos);
  CHECK(listing(dir.path()) == std::vector<std::string>{"p.zip"});
}
}  // namespace

TEST_CASE("extract: a package with folders extracts whole") {
  drvaudit::test::TempDir dir;
  write_zip(dir / "p.zip", {{"pkg/", "", AE_IFDIR}, {"pkg/a.inf", "[Version]\n"}, {"pkg/x64/a.sys", "MZ"}});
  const auto r = drvaudit::updater::extract_archive(dir / "p.zip", dir / "out");
  CHECK(r.entries == 3);
  CHECK(drvaudit::test::read_file(dir / "out" / "pkg" / "x64" / "a.sys") == "MZ");
  CHECK_FALSE(std::filesystem::exists(dir / "out.partial"));
}

TEST_CASE("extract: zip-slip, absolute paths and links are refused") {
  refused({{"ok.inf", "x"}, {"../evil.txt", "x"}}, "climbs out");
  refused({{"a/../../evil.txt", "x"}}, "climbs out");
  refused({{"/tmp/evil.txt", "x"}}, "absolute path");
  refused({{"C:/evil.txt", "x"}}, "absolute path");
  // Names Windows reserves for devices, and parts it would strip to another name.
  refused({{"ok.inf", "x"}, {"NUL.txt", "x"}}, "device");
  refused({{"sub/AUX.inf", "x"}}, "device");
  refused({{"CON", "x"}}, "device");
  refused({{".. /evil.txt", "x"}}, "dot or a space");
  refused({{".../evil.txt", "x"}}, "dot or a space");
  refused({{"link", "", AE_IFLNK, "/etc/passwd"}}, "is a link");
}

TEST_CASE("extract: bombs and too many entries are refused") {
  refused({{"zeros.bin", std::string(4 << 20, '\0')}}, "archive bomb");  // compresses ~1000:1
  drvaudit::updater::ExtractLimits limits;
  limits.max_entries = 5;
  std::vector<Entry> many;
  for (int i = 0; i < 6; ++i) many.push_back({"f" + std::to_string(i), "x"});
  refused(many, "more than 5 entries", limits);
  limits = {};
  limits.max_bytes = 100;
  refused({{"big.bin", std::string(1000, 'x')}}, "expands beyond 100 bytes", limits);
}

TEST_CASE("extract: truncated and non-archives are refused") {
  drvaudit::test::TempDir dir;
  write_zip(dir / "p.zip", {{"a.inf", std::string(100000, 'a') + "random tail 9f3c"}, {"b.inf", "b"}});
  const auto full = drvaudit::test::read_file(dir / "p.zip");
  drvaudit::test::write_file(dir / "p.zip", full.substr(0, full.size() / 2));
  CHECK_THROWS_AS(drvaudit::updater::extract_archive(dir / "p.zip", dir / "out"), drvaudit::Error);
  CHECK_FALSE(std::filesystem::exists(dir / "out"));
  CHECK_FALSE(std::filesystem::exists(dir / "out.partial"));
  drvaudit::test::write_file(dir / "p.zip", "not an archive at all");
  CHECK_THROWS_AS(drvaudit::updater::extract_archive(dir / "p.zip", dir / "out"), drvaudit::Error);
  CHECK_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_CASE("extract: archives the fuzzer found are refused with an error, not a crash") {
  // libarchive gives no error message for these (NULL): the message must still be built.
  for (const char* name : {"archive-null-error-message.zip", "archive-null-error-message-2.zip"}) {
    drvaudit::test::TempDir dir;
    const auto source =
        std::filesystem::path(DRVAUDIT_TEST_SOURCE_DIR) / "tests" / "fixtures" / "fuzz-regressions" / name;
    std::filesystem::copy_file(source, dir / "p.zip");
    INFO(name);
    CHECK_THROWS_AS(drvaudit::updater::extract_archive(dir / "p.zip", dir / "out"), drvaudit::Error);
    CHECK(listing(dir.path()) == std::vector<std::string>{"p.zip"});
  }
}
