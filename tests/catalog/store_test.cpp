#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "catalog/catalog_store.hpp"
#include "catalog/inf_folder_indexer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;
namespace fs = std::filesystem;

namespace {
const inf::TargetOs kWin11 = inf::TargetOs::parse("10.0.22631", "amd64");

std::string simple_inf(const std::string& hwid, const std::string& driver_ver) {
  return "[Version]\nSignature=\"$Windows NT$\"\nClass=Net\nProvider=ACME\nCatalogFile=a.cat\nDriverVer=" + driver_ver +
         "\n[Manufacturer]\nACME=M,NTamd64\n[M.NTamd64]\nCard=Inst," + hwid + ",PCI\\CC_0200\n[Inst.NT]\n";
}

catalog::IndexReport index(catalog::Store& store, const fs::path& folder, const inf::TargetOs& target = kWin11) {
  catalog::IndexOptions options;
  options.target = target;
  return catalog::index_folder(store, folder, options);
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
  CHECK(stats.target == "10.0.22631 amd64");
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
  options.target = kWin11;
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

TEST_CASE("catalog: a new target OS re-reads every file") {
  test::TempDir dir;
  test::write_file(dir / "drv/a.inf",
                   "[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020\n[Manufacturer]\nA=M,NTamd64.10.0...22000\n"
                   "[M.NTamd64.10.0...22000]\nD=I,PCI\\VEN_1&DEV_1\n[I]\n");
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  index(store, dir / "drv", inf::TargetOs::parse("10.0.19045", "amd64"));
  CHECK(store.lookup("PCI\\VEN_1&DEV_1").empty());  // Windows 10 22H2: the section is for Windows 11
  const auto report = index(store, dir / "drv", kWin11);
  CHECK(report.target_changed);
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
    store.set_target(kWin11);
    const auto source = store.ensure_source("inf-folder", "/generated");
    sqlite::Transaction tx(store.database());
    for (int i = 0; i < 2000; ++i) {
      store.put_file(false, source, "/generated/" + std::to_string(i) + ".inf", 1, 1, "", "indexed", "", nullptr);
      const auto file_id = store.database().last_insert_rowid();
      inf::DriverPackage package;
      package.inf_name = std::to_string(i) + ".inf";
      for (int m = 0; m < 10; ++m) {
        inf::ModelEntry e;
        e.hardware_id = "PCI\\VEN_" + std::to_string(1000 + i) + "&DEV_" + std::to_string(m);
        e.compatible_ids = {"PCI\\CC_0200"};
        package.models.push_back(e);
      }
      store.put_package(file_id, package);
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
