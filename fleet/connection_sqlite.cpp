#include "common/error.hpp"
#include "common/private_state.hpp"
#include "common/sqlite.hpp"
#include "common/text.hpp"
#include "fleet/connection.hpp"

namespace drvaudit::fleet {

namespace {
void bind(sqlite::Statement& s, int index, const Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) {
    s.bind(index, std::get<std::int64_t>(v));
  } else if (std::holds_alternative<std::string>(v)) {
    s.bind_borrowed(index, std::get<std::string>(v));
  } else {
    s.bind_null(index);
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::filesystem::path& file)
      : file_(file), db_([&] {
          private_state::prepare_file(file, true);
          return sqlite::Database(file);
        }()) {
    db_.set_advice({{}, "the fleet database " + file.string() + " is damaged; move it aside and ingest again"});
    // WAL: views can be read while an ingest writes. NORMAL: a power loss may lose the last
    // reports, never whole-report consistency (each report is one transaction).
    db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;");
  }
  Dialect dialect() const override { return Dialect::sqlite; }
  std::string name() const override { return "SQLite " + file_.string(); }
  void execute(const std::string& sql) override { db_.exec(sql); }

  ResultTable query(const std::string& sql, const std::vector<Value>& params) override {
    auto s = db_.prepare(sql);
    for (std::size_t i = 0; i < params.size(); ++i) bind(s, static_cast<int>(i + 1), params[i]);
    ResultTable out;
    const int n = s.column_count();
    for (int i = 0; i < n; ++i) out.columns.push_back(s.column_name(i));
    while (s.step()) {
      std::vector<Value> row;
      row.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        if (s.column_is_null(i)) {
          row.emplace_back(std::monostate{});
        } else if (s.column_is_integer(i)) {
          row.emplace_back(s.column_int(i));
        } else {
          row.emplace_back(s.column_text(i));
        }
      }
      out.rows.push_back(std::move(row));
    }
    return out;
  }

  // synchronous=NORMAL syncs the WAL at checkpoints only: a checkpoint syncs it and copies it home.
  void make_durable() override { db_.exec("PRAGMA wal_checkpoint(PASSIVE)"); }

  void begin() override { db_.exec("BEGIN IMMEDIATE"); }
  void commit() override { db_.exec("COMMIT"); }
  void rollback() noexcept override {
    try {
      db_.exec("ROLLBACK");
    } catch (const Error&) {
    }
  }

  void bulk_insert(const std::string& table, const std::vector<std::string>& columns,
                   const std::vector<std::vector<Value>>& rows) override {
    if (rows.empty()) return;
    std::string sql = "INSERT INTO " + table + " (";
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? ", " : "") + columns[i];
      marks += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    auto s = db_.prepare(sql);
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) bind(s, static_cast<int>(i + 1), row[i]);
      s.run();
      s.reset();
    }
  }

 private:
  std::filesystem::path file_;
  sqlite::Database db_;
};
}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::filesystem::path& file) {
  return std::make_unique<SqliteConnection>(file);
}

std::unique_ptr<Connection> open_database(const std::string& url, const std::filesystem::path& default_sqlite) {
  if (url.empty()) return open_sqlite(default_sqlite);
  if (text::istarts_with(url, "postgresql://") || text::istarts_with(url, "postgres://") ||
      url.find("dbname=") != std::string::npos || url.find("host=") != std::string::npos)
    return open_postgresql(url);
  if (text::istarts_with(url, "sqlite:")) return open_sqlite(url.substr(7));
  throw UsageError("--db " + url + ": give postgresql://… (or a libpq conninfo), or sqlite:PATH");
}

}  // namespace drvaudit::fleet
