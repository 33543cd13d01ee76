#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "common/error.hpp"

// One interface over the two databases a fleet can live in: an embedded SQLite file (one machine,
// no server) and PostgreSQL (a large fleet, several writers). The fleet's SQL is written once, with
// `?` parameters, in the subset both understand (UPSERT, RETURNING, partial indexes); only the DDL's
// key types and the bulk load (prepared INSERTs, COPY) differ.
namespace drvaudit::fleet {

using Value = std::variant<std::monostate, std::int64_t, std::string>;

// The integer a value holds; 0 for NULL (SQL's MIN/MAX/SUM of no rows) or text.
inline std::int64_t as_int(const Value& v) {
  return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0;
}

struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

enum class Dialect { sqlite, postgresql };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual std::string name() const = 0;              // "SQLite /var/lib/…/fleet.db", "PostgreSQL db on host"
  virtual void execute(const std::string& sql) = 0;  // statements without parameters or rows (DDL)
  virtual ResultTable query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Appends rows to a table inside the current transaction: prepared INSERTs in SQLite, COPY in PostgreSQL.
  virtual void bulk_insert(const std::string& table, const std::vector<std::string>& columns,
                           const std::vector<std::vector<Value>>& rows) = 0;
  // Commits need not reach the disk one by one (a crash loses the newest ones whole, never part of
  // one); this puts every commit so far on disk, so what an ingest reported stored is stored.
  virtual void make_durable() = 0;
};

std::unique_ptr<Connection> open_sqlite(const std::filesystem::path& file);
// A libpq connection string or URI (postgresql://user@host/db?sslmode=verify-full); the password
// comes from PGPASSWORD or ~/.pgpass as libpq reads them. Throws UnsupportedError in a build
// without libpq.
std::unique_ptr<Connection> open_postgresql(const std::string& conninfo);
bool postgresql_available();

// --db: empty for the SQLite file given, postgresql:// or postgres:// for a server, sqlite:PATH too.
std::unique_ptr<Connection> open_database(const std::string& url, const std::filesystem::path& default_sqlite);

// A transaction the database ended because it conflicted with another one's (two ingests at once: a
// deadlock, or a row the other stored first): nothing of it was stored, and running it again is the
// remedy.
class ConflictError : public Error {
 public:
  using Error::Error;
};

// Commits on commit(), rolls back when left before (an exception).
class TransactionScope {
 public:
  explicit TransactionScope(Connection& c) : c_(c) { c_.begin(); }
  ~TransactionScope() {
    if (!done_) c_.rollback();
  }
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;
  void commit() {
    c_.commit();
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

}  // namespace drvaudit::fleet
