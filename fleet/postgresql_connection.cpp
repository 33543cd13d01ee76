// PostgreSQL through libpq: the connection string follows libpq's own rules (URI or key=value,
// PGPASSWORD, ~/.pgpass, sslmode=verify-full with sslrootcert), parameters are sent apart from the
// SQL (PQexecParams), and bulk rows go through COPY … FROM STDIN in text format.
#include <libpq-fe.h>

#include <memory>

#include "common/error.hpp"
#include "common/text.hpp"
#include "fleet/connection.hpp"

namespace drvaudit::fleet {

namespace {
struct ConnCloser {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultCloser {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultCloser>;

constexpr unsigned kInt8 = 20, kInt2 = 21, kInt4 = 23;

// `?` → `$1`, `$2`, … outside quoted strings and identifiers.
std::string numbered(const std::string& sql) {
  std::string out;
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// COPY's text format: backslash escapes for the separator, line ends and the backslash itself.
void append_copy_field(std::string& line, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    line += "\\N";
    return;
  }
  if (std::holds_alternative<std::int64_t>(v)) {
    line += std::to_string(std::get<std::int64_t>(v));
    return;
  }
  for (char c : std::get<std::string>(v)) {
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += c;
    }
  }
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (!conn_) throw Error("PostgreSQL: out of memory while connecting");
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw Error("PostgreSQL: cannot connect: " + text::trimmed(PQerrorMessage(conn_.get())));
    name_ = std::string("PostgreSQL ") + PQdb(conn_.get()) + " on " +
            (PQhost(conn_.get()) ? PQhost(conn_.get()) : "local socket") + ":" + PQport(conn_.get());
    execute("SET client_min_messages = warning");
    // Each report is one transaction; waiting for its WAL flush before the next one was a sixth of an
    // ingest. Without the wait a server crash loses the newest commits whole, as if they had been
    // rolled back (never part of a report: PostgreSQL's documented guarantee for this setting), and
    // their `files` rows with them, so the next ingest reads those reports again. make_durable()
    // flushes before the ingest says what it stored.
    execute("SET synchronous_commit = off");
  }
  Dialect dialect() const override { return Dialect::postgresql; }
  std::string name() const override { return name_; }

  void execute(const std::string& sql) override { check(Result(PQexec(conn_.get(), sql.c_str())), sql); }

  ResultTable query(const std::string& sql, const std::vector<Value>& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::int64_t>(params[i])) {
        texts[i] = std::to_string(std::get<std::int64_t>(params[i]));
      } else if (std::holds_alternative<std::string>(params[i])) {
        texts[i] = std::get<std::string>(params[i]);
      } else {
        continue;
      }
      values[i] = texts[i].c_str();
    }
    const std::string text_sql = numbered(sql);
    Result r(PQexecParams(conn_.get(), text_sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                          nullptr, nullptr, 0));
    check(r, sql);
    ResultTable out;
    const int columns = PQnfields(r.get()), rows = PQntuples(r.get());
    std::vector<bool> integer(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      out.columns.emplace_back(PQfname(r.get(), c));
      const auto type = PQftype(r.get(), c);
      integer[static_cast<std::size_t>(c)] = type == kInt8 || type == kInt4 || type == kInt2;
    }
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      std::vector<Value> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(r.get(), i, c)) {
          row.emplace_back(std::monostate{});
        } else if (integer[static_cast<std::size_t>(c)]) {
          row.emplace_back(static_cast<std::int64_t>(std::stoll(PQgetvalue(r.get(), i, c))));
        } else {
          row.emplace_back(
              std::string(PQgetvalue(r.get(), i, c), static_cast<std::size_t>(PQgetlength(r.get(), i, c))));
        }
      }
      out.rows.push_back(std::move(row));
    }
    return out;
  }

  // A transaction with an ID whose commit waits for its WAL flush; the WAL is flushed in order, so
  // every earlier commit is on disk with it.
  void make_durable() override { execute("BEGIN; SET LOCAL synchronous_commit = on; SELECT txid_current(); COMMIT"); }

  void begin() override { execute("BEGIN"); }
  void commit() override { execute("COMMIT"); }
  void rollback() noexcept override { Result(PQexec(conn_.get(), "ROLLBACK")); }

  void bulk_insert(const std::string& table, const std::vector<std::string>& columns,
                   const std::vector<std::vector<Value>>& rows) override {
    if (rows.empty()) return;
    std::string sql = "COPY " + table + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += ") FROM STDIN";
    Result start(PQexec(conn_.get(), sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) check(start, sql);
    std::string buffer;
    const auto flush = [&] {
      if (PQputCopyData(conn_.get(), buffer.data(), static_cast<int>(buffer.size())) != 1)
        throw Error("PostgreSQL: COPY into " + table + " failed: " + text::trimmed(PQerrorMessage(conn_.get())));
      buffer.clear();
    };
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) buffer += '\t';
        append_copy_field(buffer, row[i]);
      }
      buffer += '\n';
      if (buffer.size() > (1u << 20)) flush();
    }
    if (!buffer.empty()) flush();
    if (PQputCopyEnd(conn_.get(), nullptr) != 1)
      throw Error("PostgreSQL: COPY into " + table + " failed: " + text::trimmed(PQerrorMessage(conn_.get())));
    check(Result(PQgetResult(conn_.get())), sql);
    while (Result more{PQgetResult(conn_.get())}) {
    }
  }

 private:
  void check(const Result& r, const std::string& sql) const {
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get());
    const std::string what = "PostgreSQL: " + text::trimmed(message) + " (in: " + sql.substr(0, 120) + ")";
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    // Deadlock, serialization failure, or a row another ingest stored first (a run, while both read
    // the same report): that ingest's work stands, and this transaction, run again, finds it.
    if (state && (std::string_view(state) == "40P01" || std::string_view(state) == "40001" ||
                  std::string_view(state) == "23505"))
      throw ConflictError(what);  // said with its statement too: after the last attempt it is the error shown
    throw Error(what);
  }

  std::unique_ptr<PGconn, ConnCloser> conn_;
  std::string name_;
};
}  // namespace

bool postgresql_available() { return true; }

std::unique_ptr<Connection> open_postgresql(const std::string& conninfo) {
  return std::make_unique<PostgresConnection>(conninfo);
}

}  // namespace drvaudit::fleet
