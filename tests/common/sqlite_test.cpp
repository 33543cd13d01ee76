#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "common/sqlite.hpp"
#include "tests/support/temp_dir.hpp"

using drvaudit::sqlite::Database;
using drvaudit::sqlite::Transaction;

TEST_CASE("SQLite: a database file on disk keeps what was committed") {
  drvaudit::test::TempDir dir;
  const auto file = dir / "catalog.db";
  {
    Database db(file);
    db.exec("CREATE TABLE ids(id TEXT PRIMARY KEY, rank INTEGER, score REAL)");
    auto insert = db.prepare("INSERT INTO ids VALUES(?1, ?2, ?3)");
    insert.bind(1, std::string_view("PCI\\VEN_8086&DEV_06ED")).bind(2, std::int64_t{0x00FF2001}).bind(3, 0.5);
    insert.run();
    insert.bind(1, std::string_view("USB\\COMPOSITE")).bind_null(2).bind(3, 1.0);
    insert.run();
    CHECK(db.changes() == 1);
  }
  Database db(file, Database::Mode::read_only);
  auto select = db.prepare("SELECT id, rank, score FROM ids ORDER BY id");
  REQUIRE(select.step());
  CHECK(select.column_text(0) == "PCI\\VEN_8086&DEV_06ED");
  CHECK(select.column_int(1) == 0x00FF2001);
  CHECK(select.column_double(2) == Approx(0.5));
  REQUIRE(select.step());
  CHECK(select.column_is_null(1));
  CHECK_FALSE(select.step());
}

TEST_CASE("SQLite: a transaction left without commit rolls back") {
  drvaudit::test::TempDir dir;
  Database db(dir / "t.db");
  db.exec("CREATE TABLE t(x INTEGER)");
  try {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES(1)");
    throw std::runtime_error("interrupted");
  } catch (const std::runtime_error&) {
  }
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES(2)");
    tx.commit();
  }
  auto count = db.prepare("SELECT group_concat(x) FROM t");
  REQUIRE(count.step());
  CHECK(count.column_text(0) == "2");
}

TEST_CASE("SQLite: errors name what failed") {
  drvaudit::test::TempDir dir;
  Database db(dir / "e.db");
  CHECK_THROWS_WITH(db.exec("SELEC nonsense"), Catch::Contains("syntax error"));
  CHECK_THROWS_WITH(db.prepare("SELECT * FROM missing_table"), Catch::Contains("no such table"));
  CHECK_THROWS_AS(Database(dir / "absent" / "x.db", Database::Mode::read_only), drvaudit::Error);
  db.exec("CREATE TABLE u(x TEXT UNIQUE)");
  db.exec("INSERT INTO u VALUES('a')");
  auto dup = db.prepare("INSERT INTO u VALUES('a')");
  CHECK_THROWS_WITH(dup.run(), Catch::Contains("UNIQUE"));
}
