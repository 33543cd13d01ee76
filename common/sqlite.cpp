#include "common/sqlite.hpp"

#include <sqlite3.h>

#include "common/error.hpp"

namespace drvaudit::sqlite {

namespace {
[[noreturn]] void fail(sqlite3* db, int code, std::string_view what, const Advice* advice) {
  const std::string message = db ? sqlite3_errmsg(db) : (code == SQLITE_OK ? "out of memory" : sqlite3_errstr(code));
  const int primary = code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    const std::string who = advice && advice->busy ? advice->busy() : "another process is using the database";
    throw Error(who + " (SQLite: " + message + "); try again when it has finished", ErrorKind::busy);
  }
  if ((primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) && advice && !advice->damaged.empty())
    throw Error(advice->damaged + " (SQLite: " + message + ")");
  throw Error("SQLite: " + std::string(what) + ": " + message);
}

[[noreturn]] void fail(sqlite3* db, std::string_view what, const Advice* advice) {
  fail(db, db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM, what, advice);
}
}  // namespace

void Database::Closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

Database::Database(const std::filesystem::path& file, Mode mode) {
  // Memory statistics cost a global mutex and counters on every allocation, and nothing reads
  // them. sqlite3_config only works before SQLite initialises: once per process.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  // NOFOLLOW: a database is never opened through a symbolic link (one planted in a state folder
  // would choose where drvaudit creates or reads it).
  const int flags = (mode == Mode::read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
                    (file == ":memory:" ? 0 : SQLITE_OPEN_NOFOLLOW);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.string().c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);  // owned even on failure: sqlite3_open_v2 allocates a handle to report the error
  if (rc != SQLITE_OK) fail(raw, rc, "cannot open " + file.string(), nullptr);
  sqlite3_extended_result_codes(raw, 1);
  // Another drvaudit process may hold a write lock briefly (a scheduled audit); wait rather than fail.
  sqlite3_busy_timeout(raw, 5000);
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    fail(db_.get(), "cannot run '" + text.substr(0, 200) + "'", advice_.get());
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    fail(db_.get(), "cannot prepare '" + std::string(sql.substr(0, 200)) + "'", advice_.get());
  }
  return Statement(db_.get(), stmt, std::string(sql), advice_);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
int Database::changes() const { return sqlite3_changes(db_.get()); }

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql, std::shared_ptr<const Advice> advice)
    : db_(db), stmt_(stmt), sql_(std::move(sql)), advice_(std::move(advice)) {}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_.get(), index, value) != SQLITE_OK) fail(db_, "bind in " + sql_, advice_.get());
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_.get(), index, value) != SQLITE_OK) fail(db_, "bind in " + sql_, advice_.get());
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) {
    fail(db_, "bind in " + sql_, advice_.get());
  }
  return *this;
}

Statement& Statement::bind_borrowed(int index, std::string_view value) {
  if (sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK) {
    fail(db_, "bind in " + sql_, advice_.get());
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK) fail(db_, "bind in " + sql_, advice_.get());
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step in " + sql_.substr(0, 200), advice_.get());
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_.get(), index); }
double Statement::column_double(int index) const { return sqlite3_column_double(stmt_.get(), index); }

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_.get(), index);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index)));
}

std::string_view Statement::column_view(int index) const {
  const auto* text = sqlite3_column_text(stmt_.get(), index);
  if (!text) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index))};
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL; }

bool Statement::column_is_integer(int index) const { return sqlite3_column_type(stmt_.get(), index) == SQLITE_INTEGER; }

int Statement::column_count() const { return sqlite3_column_count(stmt_.get()); }

std::string Statement::column_name(int index) const {
  const char* name = sqlite3_column_name(stmt_.get(), index);
  return name ? name : "";
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // A failed rollback leaves SQLite to roll back when the connection closes.
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace drvaudit::sqlite
