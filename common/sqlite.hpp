#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

// A thin RAII layer over SQLite: one owner per connection and statement, errors as
// drvaudit::Error carrying SQLite's own message and the SQL that failed.
namespace drvaudit::sqlite {

class Statement;

// What a failure means for the file's owner, where SQLite's own words are not enough for a user:
// who holds a busy database, how to rebuild a damaged one. Errors for SQLITE_BUSY (after the busy
// timeout) carry ErrorKind::busy.
struct Advice {
  std::function<std::string()> busy;  // replaces "database is locked"
  std::string damaged;                // follows SQLITE_CORRUPT / SQLITE_NOTADB
};

class Database {
 public:
  enum class Mode { read_only, read_write_create };

  Database(const std::filesystem::path& file, Mode mode = Mode::read_write_create);
  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Runs one or more statements that return no rows (schema, pragmas).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows changed by the last statement
  sqlite3* handle() const { return db_.get(); }
  void set_advice(Advice advice) { *advice_ = std::move(advice); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept;
  };
  std::unique_ptr<sqlite3, Closer> db_;
  std::shared_ptr<Advice> advice_ = std::make_shared<Advice>();  // shared with the statements
};

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  // Binds without a copy: the bytes must stay valid until the statement is run or reset. For bulk
  // inserts, where copying every bound string was a measurable share of the time.
  Statement& bind_borrowed(int index, std::string_view value);

  // Returns true when a row is available, false when the statement is done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t column_int(int index) const;
  double column_double(int index) const;
  std::string column_text(int index) const;
  // Valid until the next step, reset or destruction of the statement.
  std::string_view column_view(int index) const;
  bool column_is_null(int index) const;
  bool column_is_integer(int index) const;  // the value in this row is an INTEGER
  int column_count() const;
  std::string column_name(int index) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql, std::shared_ptr<const Advice> advice);
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  std::string sql_;
  std::shared_ptr<const Advice> advice_;
};

// Commits on commit(); rolls back if destroyed before that (an exception, an early return).
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace drvaudit::sqlite
