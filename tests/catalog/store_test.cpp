#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "catalog/catalog_store.hpp"
#include "catalog/inf_folder_indexer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;
namespace fs = std::filesystem;

namespace {
std::string simple_inf(const std::string& hwid, const std::string& driver_ver) {
  return "[Version]\nSignature=\"$Windows NT$\"\nClass=Net\nProvider=ACME\nCatalogFile=a.cat\nDriverVer=" + driver_ver +
         "\n[Manufacturer]\nACME=M,NTamd64\n[M.NTamd64]\nCard=Inst," + hwid + ",PCI\\CC_0200\n[Inst.NT]\n";
}

catalog::IndexReport index(catalog::Store& store, const fs::path& folder) {
  return catalog::index_folder(store, folder, {});
}

// Counts commits by other connections: PRAGMA data_version changes only when one committed changes.
std::int64_t data_version(sqlite::Database& watcher) {
  auto q = watcher.prepare("PRAGMA data_version");
  q.step();
  return q.column_int(0);
}
}  // namespace

TEST_CASE("catalog: index, search by ID in any case, then sources and stats") {
  test::TempDir dir;
  test::write_file(dir / "drivers/net/a.inf", simple_inf("PCI\\VEN_8086&DEV_1234", "05/21/2022,1.0.0.0"));
  test::write_file(dir / "drivers/net/B.INF", simple_inf("PCI\\VEN_8086&DEV_5678", "06/01/2023,2.0.0.0"));
  test::write_file(dir / "drivers/readme.txt", "not an INF");
  test::write_file(dir / "drivers/template.inf",
                   "[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020\n[Manufacturer]\nA=M,NT$ARCH$\n");
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  test::write_file(dir / "drivers/bad-date.inf", simple_inf("PCI\\VEN_8086&DEV_9999", "02/30/2021,1.0.0.0"));
  const auto report = index(store, dir / "drivers");
  REQUIRE(report.warnings.size() == 1);
  CHECK_THAT(report.warnings[0], Catch::Contains("bad-date.inf:6: DriverVer date '02/30/2021'"));
  CHECK(store.lookup("PCI\\VEN_8086&DEV_9999").size() == 1);  // indexed all the same, dated 00/00/0000
  CHECK(report.files == 4);
  CHECK(report.added == 4);
  CHECK(report.packages == 3);
  CHECK(report.templates == 1);

  const auto hits = store.lookup("pci\\ven_8086&dev_1234");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].inf_name == "a.inf");
  CHECK(hits[0].date.to_iso() == "2022-05-21");
  CHECK(hits[0].ddinstall_section == "Inst.NT");
  CHECK(store.lookup("PCI\\CC_0200").size() == 3);  // compatible IDs are indexed too
  CHECK(store.lookup("PCI\\VEN_FFFF&DEV_0000").empty());

  const auto sources = store.sources();
  REQUIRE(sources.size() == 1);
  CHECK(sources[0].packages == 3);
  CHECK(sources[0].templates == 1);
  CHECK_FALSE(sources[0].last_indexed.empty());
  const auto stats = store.stats();
  CHECK(stats.models == 3);
  CHECK(stats.ids == 6);  // index rows: PCI\\CC_0200 is listed by both packages
  CHECK(stats.stale == 0);
}

TEST_CASE("catalog: re-indexing an unchanged folder writes nothing, changes are picked up") {
  test::TempDir dir;
  test::write_file(dir / "drv/a.inf", simple_inf("PCI\\VEN_1&DEV_1", "01/01/2020,1.0"));
  test::write_file(dir / "drv/b.inf", simple_inf("PCI\\VEN_2&DEV_2", "01/01/2020,1.0"));
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  index(store, dir / "drv");
  sqlite::Database watcher(dir / "catalog.db", sqlite::Database::Mode::read_only);
  const auto before = data_version(watcher);

  auto report = index(store, dir / "drv");
  CHECK(report.unchanged == 2);
  CHECK_FALSE(report.changed());
  CHECK(report.bytes_read == 0);  // size and mtime matched: not even read
  CHECK(data_version(watcher) == before);

  // Same size, new mtime: the content hash decides. New files are parsed without hashing, so the
  // first touch re-parses once and records the hash; from then on a touch is found unchanged.
  auto touch = [&] {
    fs::last_write_time(dir / "drv/a.inf", fs::last_write_time(dir / "drv/a.inf") + std::chrono::seconds(5));
  };
  touch();
  report = index(store, dir / "drv");
  CHECK(report.updated == 1);
  touch();
  report = index(store, dir / "drv");
  CHECK(report.unchanged == 2);
  CHECK(report.updated == 0);
  CHECK(report.bytes_read > 0);  // read and hashed, not parsed

  test::write_file(dir / "drv/b.inf", simple_inf("PCI\\VEN_2&DEV_3", "02/02/2021,2.0"));
  fs::remove(dir / "drv/a.inf");
  test::write_file(dir / "drv/sub/c.inf", simple_inf("PCI\\VEN_3&DEV_3", "01/01/2020,1.0"));
  report = index(store, dir / "drv");
  CHECK(report.updated == 1);
  CHECK(report.removed == 1);
  CHECK(report.added == 1);
  CHECK(store.lookup("PCI\\VEN_1&DEV_1").empty());
  CHECK(store.lookup("PCI\\VEN_2&DEV_2").empty());
  CHECK(store.lookup("PCI\\VEN_2&DEV_3").size() == 1);
  CHECK(store.lookup("PCI\\VEN_3&DEV_3").size() == 1);
}

TEST_CASE("catalog: an interrupted index leaves the previous catalog intact") {
  test::TempDir dir;
  test::write_file(dir / "drv/a.inf", simple_inf("PCI\\VEN_1&DEV_1", "01/01/2020,1.0"));
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  index(store, dir / "drv");
  test::write_file(dir / "drv/a.inf", simple_inf("PCI\\VEN_9&DEV_9", "01/01/2024,9.0"));
  test::write_file(dir / "drv/b.inf", simple_inf("PCI\\VEN_8&DEV_8", "01/01/2024,9.0"));
  catalog::IndexOptions options;
  options.progress = [](std::size_t done, std::size_t, const std::string&) {
    if (done == 2) throw std::runtime_error("power cut");
  };
  CHECK_THROWS_WITH(catalog::index_folder(store, dir / "drv", options), "power cut");
  CHECK(store.lookup("PCI\\VEN_1&DEV_1").size() == 1);
  CHECK(store.lookup("PCI\\VEN_9&DEV_9").empty());
  CHECK(store.lookup("PCI\\VEN_8&DEV_8").empty());
}

TEST_CASE("catalog: overlapping folders: the latest index owns a file") {
  test::TempDir dir;
  test::write_file(dir / "all/vendor/a.inf", simple_inf("PCI\\VEN_1&DEV_1", "01/01/2020,1.0"));
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  index(store, dir / "all");
  CHECK(index(store, dir / "all/vendor").added == 1);
  const auto hits = store.lookup("PCI\\VEN_1&DEV_1");
  REQUIRE(hits.size() == 1);
  CHECK(fs::path(hits[0].source) == dir / "all" / "vendor");
  CHECK(index(store, dir / "all").added == 1);  // taken back, still one copy
  CHECK(store.lookup("PCI\\VEN_1&DEV_1").size() == 1);
}

TEST_CASE("catalog: one index serves every target, and each entry says which section it is in") {
  test::TempDir dir;
  test::write_file(
      dir / "drv/a.inf",
      "[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020\n[Manufacturer]\nA=M,NTamd64.10.0...22000,NTx86\n"
      "[M.NTamd64.10.0...22000]\nD=I,PCI\\VEN_1&DEV_1\n[M.NTx86]\nD=I,PCI\\VEN_1&DEV_1\n[I]\n");
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  index(store, dir / "drv");
  const auto hits = store.lookup("PCI\\VEN_1&DEV_1");
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].models_section == "M.NTamd64.10.0...22000");
  CHECK(hits[0].arch == "amd64");
  CHECK(hits[0].line_decorations == std::vector<std::string>{"NTamd64.10.0...22000", "NTx86"});
  CHECK(hits[1].arch == "x86");
  CHECK(catalog::applies_to(hits[0], inf::TargetOs::parse("10.0.22631", "amd64")));
  CHECK_FALSE(catalog::applies_to(hits[0], inf::TargetOs::parse("10.0.19045", "amd64")));  // Windows 10 22H2
  CHECK(catalog::applies_to(hits[1], inf::TargetOs::parse("10.0.19045", "x86")));
  CHECK(hits[0].location.kind == catalog::PackageLocation::Kind::folder);
  CHECK(fs::path(hits[0].location.folder) == fs::weakly_canonical(dir / "drv"));
  CHECK(hits[0].location.inf_path == "a.inf");
}

TEST_CASE("catalog: a v2 catalog (one target) is migrated in place and read again by the next index") {
  test::TempDir dir;
  test::write_file(dir / "drv/a.inf", simple_inf("PCI\\VEN_1&DEV_1", "01/01/2020,1.0"));
  {
    // The v2 schema as drvaudit 0.1 wrote it, with one indexed file and a feed source.
    sqlite::Database v2(dir / "catalog.db", sqlite::Database::Mode::read_write_create);
    v2.exec(R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version', '2'), ('target', '10.0.22631 amd64');
CREATE TABLE sources(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL UNIQUE,
  last_indexed TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'new', pubkey TEXT NOT NULL DEFAULT '',
  allow_unsigned INTEGER NOT NULL DEFAULT 0, ca_file TEXT NOT NULL DEFAULT '', etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '');
CREATE TABLE files(id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, mtime INTEGER NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '');
CREATE INDEX files_scan ON files(source_id, path, id, size, mtime, sha256);
CREATE TABLE packages(id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  inf_name TEXT NOT NULL, provider TEXT NOT NULL, class TEXT NOT NULL, class_guid TEXT NOT NULL, catalog_file TEXT NOT NULL);
CREATE TABLE models(id INTEGER PRIMARY KEY, package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  manufacturer TEXT NOT NULL, description TEXT NOT NULL, install_section TEXT NOT NULL, ddinstall_section TEXT NOT NULL,
  nt_extension INTEGER NOT NULL, hardware_id TEXT NOT NULL, compatible_ids TEXT NOT NULL, feature_score INTEGER NOT NULL,
  driver_date TEXT NOT NULL, driver_version TEXT NOT NULL, line INTEGER NOT NULL);
CREATE TABLE model_ids(id_upper TEXT NOT NULL, model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  PRIMARY KEY(id_upper, model_id)) WITHOUT ROWID;
INSERT INTO sources(id, kind, location, status, pubkey, etag) VALUES(1, 'inf-folder', ')SQL" +
            fs::weakly_canonical(dir / "drv").string() + R"SQL(', 'ok', '', ''),
  (2, 'feed', 'https://drivers.example/feed.json', 'ok', 'RWQkey', '"v7"');
INSERT INTO files VALUES(1, 1, ')SQL" +
            fs::weakly_canonical(dir / "drv/a.inf").string() + R"SQL(', 10, 10, '', 'indexed', '');
INSERT INTO packages VALUES(1, 1, 'a.inf', 'ACME', 'Net', '', 'a.cat');
INSERT INTO models VALUES(1, 1, 'ACME', 'Card', 'Inst', 'Inst.NT', 1, 'PCI\VEN_1&DEV_1', '', 255, '2020-01-01', '1.0.0.0', 9);
INSERT INTO model_ids VALUES('PCI\VEN_1&DEV_1', 1);
)SQL");
  }
  {
    const catalog::Store upgraded(dir / "catalog.db", catalog::Store::Mode::read_only);
    const auto stats = upgraded.stats();
    CHECK(stats.stale == 1);  // the file is kept, marked to be read again
    CHECK(stats.packages == 0);
    CHECK(upgraded.lookup("PCI\\VEN_1&DEV_1").empty());
    const auto feeds = upgraded.feed_sources();
    REQUIRE(feeds.size() == 1);
    CHECK(feeds[0].pubkey == "RWQkey");  // the subscription survives
    CHECK(feeds[0].etag.empty());        // and is fetched in full at the next sync
    sqlite::Database raw(dir / "catalog.db", sqlite::Database::Mode::read_only);
    auto q = raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    REQUIRE(q.step());
    CHECK(q.column_text(0) == "4");  // migrated to the current version in one go
  }
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  const auto report = index(store, dir / "drv");
  CHECK(report.updated == 1);
  CHECK(store.stats().stale == 0);
  REQUIRE(store.lookup("PCI\\VEN_1&DEV_1").size() == 1);
  CHECK(store.lookup("PCI\\VEN_1&DEV_1")[0].arch == "amd64");
}

TEST_CASE("catalog: a file that could not be read is read again by the next index") {
  test::TempDir dir;
  test::write_file(dir / "drv/a.inf", simple_inf("PCI\\VEN_1&DEV_1", "01/01/2020,1.0"));
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  {
    auto& db = store.database();
    const auto source = store.ensure_source("inf-folder", fs::weakly_canonical(dir / "drv").string());
    // As a run that could not read the file would have left it: same size and mtime, status error.
    index(store, dir / "drv");
    db.prepare("UPDATE files SET status = 'error', message = 'cannot read: Permission denied' WHERE source_id = ?1")
        .bind(1, source)
        .run();
    db.exec("DELETE FROM packages");
  }
  CHECK(store.lookup("PCI\\VEN_1&DEV_1").empty());
  const auto report = index(store, dir / "drv");
  CHECK(report.updated == 1);
  CHECK(store.lookup("PCI\\VEN_1&DEV_1").size() == 1);
}

TEST_CASE("catalog: a missing database reads as empty, a folder that does not exist is an error") {
  test::TempDir dir;
  const catalog::Store store(dir / "none.db", catalog::Store::Mode::read_only);
  CHECK(store.empty());
  CHECK(store.lookup("PCI\\VEN_1").empty());
  CHECK_FALSE(fs::exists(dir / "none.db"));
  catalog::Store rw(dir / "c.db", catalog::Store::Mode::read_write);
  CHECK_THROWS_WITH(index(rw, dir / "missing"), Catch::Contains("not a folder"));
}

namespace {
// Counts SQLite virtual-machine steps in blocks of 100: the work a query does, deterministically.
int count_progress(void* counter) {
  ++*static_cast<std::int64_t*>(counter);
  return 0;
}
}  // namespace

TEST_CASE("catalog: a lookup starts from the ID index even with stale planner statistics") {
  // A catalog once analysed, then given an index its statistics do not describe, made SQLite's planner
  // start the audit's lookup from the sources table and visit every Models line (2.2 million in the
  // audit benchmark: minutes instead of milliseconds). The join order is now fixed in the query.
  test::TempDir dir;
  {
    catalog::Store store(dir / "c.db", catalog::Store::Mode::read_write);
    const auto source = store.ensure_source("inf-folder", "/generated");
    sqlite::Transaction tx(store.database());
    for (int i = 0; i < 2000; ++i) {
      catalog::Store::FileRow row;
      row.size = row.mtime = 1;
      store.put_file(false, source, "/generated/" + std::to_string(i) + ".inf", row, nullptr, nullptr);
      const auto file_id = store.database().last_insert_rowid();
      inf::DriverPackage package;
      package.inf_name = std::to_string(i) + ".inf";
      for (int m = 0; m < 10; ++m) {
        inf::ModelEntry e;
        e.hardware_id = "PCI\\VEN_" + std::to_string(1000 + i) + "&DEV_" + std::to_string(m);
        e.compatible_ids = {"PCI\\CC_0200"};
        e.models_section = "M.NTamd64";
        e.decoration = "NTamd64";
        e.line_decorations = {"NTamd64"};
        e.arch = "amd64";
        package.models.push_back(e);
      }
      store.put_package(file_id, package, {});
    }
    tx.commit();
    store.database().exec("ANALYZE; DELETE FROM sqlite_stat1 WHERE idx = 'files_scan'");
  }
  catalog::Store store(dir / "c.db", catalog::Store::Mode::read_only);
  std::int64_t blocks = 0;
  sqlite3_progress_handler(store.database().handle(), 100, count_progress, &blocks);
  const auto found = store.lookup("pci\\ven_1500&dev_7");
  sqlite3_progress_handler(store.database().handle(), 0, nullptr, nullptr);
  REQUIRE(found.size() == 1);
  CHECK(found[0].inf_name == "500.inf");
  // One Models line found through the index costs a few hundred steps; a scan of the 20,000 lines
  // costs hundreds of thousands.
  CHECK(blocks < 20);
}
