#include "catalog/history/history_store.hpp"

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/private_state.hpp"

namespace drvaudit::history {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  recorded_at TEXT NOT NULL,
  captured_at TEXT NOT NULL,
  machine TEXT NOT NULL,
  os TEXT NOT NULL,
  os_version TEXT NOT NULL,
  arch TEXT NOT NULL,
  trigger TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  catalog TEXT NOT NULL,
  exit_code INTEGER NOT NULL DEFAULT -1,
  summary TEXT NOT NULL,
  attention INTEGER NOT NULL,
  device_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_machine ON runs (machine, id);
CREATE TABLE IF NOT EXISTS devices (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  instance_id TEXT NOT NULL,
  description TEXT NOT NULL,
  class TEXT NOT NULL,
  problem_code INTEGER NOT NULL,
  present INTEGER NOT NULL,
  has_driver INTEGER NOT NULL,
  provider TEXT NOT NULL,
  version TEXT NOT NULL,
  date TEXT NOT NULL,
  inf TEXT NOT NULL,
  section TEXT NOT NULL,
  module TEXT NOT NULL,
  verdict TEXT NOT NULL,
  best_inf TEXT NOT NULL,
  best_version TEXT NOT NULL,
  best_date TEXT NOT NULL,
  attention TEXT NOT NULL,
  PRIMARY KEY (run_id, instance_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reports (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  PRIMARY KEY (run_id, path)
) WITHOUT ROWID;
)sql";

constexpr const char* kRunColumns =
    "id, recorded_at, captured_at, machine, os, os_version, arch, trigger, tool_version, catalog, exit_code, summary, "
    "attention, device_count";

std::string path_text(const std::filesystem::path& file) {
  const auto text = file.u8string();
  return std::string(text.begin(), text.end());
}

std::filesystem::path text_path(const std::string& text) { return std::u8string(text.begin(), text.end()); }

RunRecord read_run(const sqlite::Statement& q) {
  RunRecord r;
  r.id = q.column_int(0);
  r.recorded_at = q.column_text(1);
  r.captured_at = q.column_text(2);
  r.machine = q.column_text(3);
  r.os = q.column_text(4);
  r.os_version = q.column_text(5);
  r.arch = q.column_text(6);
  r.trigger = q.column_text(7);
  r.tool_version = q.column_text(8);
  r.catalog = q.column_text(9);
  r.exit_code = static_cast<int>(q.column_int(10));
  const auto summary = nlohmann::json::parse(q.column_view(11), nullptr, false);
  if (summary.is_object()) {
    for (const auto& [verdict, count] : summary.items()) {
      if (count.is_number_integer()) r.summary[verdict] = count.get<std::int64_t>();
    }
  }
  r.attention = q.column_int(12);
  r.device_count = q.column_int(13);
  return r;
}
}  // namespace

Store::Store(const std::filesystem::path& file)
    : db_([&] {
        private_state::prepare_file(file, true);
        return sqlite::Database(file);
      }()) {
  db_.set_advice({{}, "the history " + file.string() + " is damaged; move it aside to start a new one"});
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  db_.exec(kSchema);
}

std::int64_t Store::add(const RunRecord& run) {
  sqlite::Transaction tx(db_);
  nlohmann::json summary(run.summary);
  db_.prepare(
         "INSERT INTO runs (recorded_at, captured_at, machine, os, os_version, arch, trigger, tool_version, catalog, "
         "exit_code, summary, attention, device_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, run.recorded_at)
      .bind(2, run.captured_at)
      .bind(3, run.machine)
      .bind(4, run.os)
      .bind(5, run.os_version)
      .bind(6, run.arch)
      .bind(7, run.trigger)
      .bind(8, run.tool_version)
      .bind(9, run.catalog)
      .bind(10, std::int64_t{run.exit_code})
      .bind(11, summary.dump())
      .bind(12, run.attention)
      .bind(13, static_cast<std::int64_t>(run.devices.size()))
      .run();
  const auto id = db_.last_insert_rowid();
  auto insert = db_.prepare(
      "INSERT OR IGNORE INTO devices (run_id, instance_id, description, class, problem_code, present, has_driver, "
      "provider, version, date, inf, section, module, verdict, best_inf, best_version, best_date, attention) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& d : run.devices) {
    insert.bind(1, id)
        .bind_borrowed(2, d.instance_id)
        .bind_borrowed(3, d.description)
        .bind_borrowed(4, d.class_name)
        .bind(5, std::int64_t{d.problem_code})
        .bind(6, std::int64_t{d.present})
        .bind(7, std::int64_t{d.has_driver})
        .bind_borrowed(8, d.provider)
        .bind_borrowed(9, d.version)
        .bind_borrowed(10, d.date)
        .bind_borrowed(11, d.inf)
        .bind_borrowed(12, d.section)
        .bind_borrowed(13, d.module)
        .bind_borrowed(14, d.verdict)
        .bind_borrowed(15, d.best_inf)
        .bind_borrowed(16, d.best_version)
        .bind_borrowed(17, d.best_date)
        .bind_borrowed(18, d.attention)
        .run();
    insert.reset();
  }
  tx.commit();
  return id;
}

void Store::set_exit_code(std::int64_t run, int exit_code) {
  db_.prepare("UPDATE runs SET exit_code = ? WHERE id = ?").bind(1, std::int64_t{exit_code}).bind(2, run).run();
}

void Store::add_report(std::int64_t run, const std::filesystem::path& file) {
  db_.prepare("INSERT OR IGNORE INTO reports (run_id, path) VALUES (?, ?)").bind(1, run).bind(2, path_text(file)).run();
}

std::vector<std::filesystem::path> Store::prune(const std::string& machine, int keep) {
  if (keep < 1) throw UsageError("--keep must keep at least 1 run");
  sqlite::Transaction tx(db_);
  const std::string doomed = "SELECT id FROM runs WHERE machine = ?1 ORDER BY id DESC LIMIT -1 OFFSET ?2";
  std::vector<std::filesystem::path> files;
  auto q = db_.prepare("SELECT path FROM reports WHERE run_id IN (" + doomed + ")");
  q.bind(1, machine).bind(2, std::int64_t{keep});
  while (q.step()) {
    files.push_back(text_path(q.column_text(0)));
  }
  db_.prepare("DELETE FROM runs WHERE id IN (" + doomed + ")").bind(1, machine).bind(2, std::int64_t{keep}).run();
  tx.commit();
  return files;
}

std::vector<RunRecord> Store::list(const std::string& machine) const {
  auto q = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs" +
                       (machine.empty() ? "" : " WHERE machine = ?1") + " ORDER BY id DESC");
  if (!machine.empty()) q.bind(1, machine);
  std::vector<RunRecord> out;
  while (q.step()) out.push_back(read_run(q));
  return out;
}

std::optional<RunRecord> Store::one(const std::string& where, std::int64_t arg, const std::string& text_arg,
                                    bool with_devices) const {
  auto q =
      db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE " + where + " ORDER BY id DESC LIMIT 1");
  if (where.find("?1") != std::string::npos) q.bind(1, arg);
  if (where.find("?2") != std::string::npos) q.bind(2, text_arg);
  if (!q.step()) return std::nullopt;
  auto run = read_run(q);
  if (!with_devices) return run;
  auto d = db_.prepare(
      "SELECT instance_id, description, class, problem_code, present, has_driver, provider, version, date, inf, "
      "section, module, verdict, best_inf, best_version, best_date, attention FROM devices WHERE run_id = ? "
      "ORDER BY instance_id");
  d.bind(1, run.id);
  while (d.step()) {
    DeviceRecord r;
    r.instance_id = d.column_text(0);
    r.description = d.column_text(1);
    r.class_name = d.column_text(2);
    r.problem_code = static_cast<std::uint32_t>(d.column_int(3));
    r.present = d.column_int(4) != 0;
    r.has_driver = d.column_int(5) != 0;
    r.provider = d.column_text(6);
    r.version = d.column_text(7);
    r.date = d.column_text(8);
    r.inf = d.column_text(9);
    r.section = d.column_text(10);
    r.module = d.column_text(11);
    r.verdict = d.column_text(12);
    r.best_inf = d.column_text(13);
    r.best_version = d.column_text(14);
    r.best_date = d.column_text(15);
    r.attention = d.column_text(16);
    run.devices.push_back(std::move(r));
  }
  return run;
}

std::optional<RunRecord> Store::get(std::int64_t id) const { return one("id = ?1", id); }

std::optional<RunRecord> Store::latest(const std::string& machine) const {
  return machine.empty() ? one("1", 0) : one("machine = ?2", 0, machine);
}

std::optional<RunRecord> Store::previous(std::int64_t id) const {
  return one("id < ?1 AND machine = (SELECT machine FROM runs WHERE id = ?1)", id);
}

std::optional<RunRecord> Store::latest_by_trigger(const std::string& trigger) const {
  return one("trigger = ?2", 0, trigger, false);
}

std::vector<std::filesystem::path> Store::reports(std::int64_t run) const {
  auto q = db_.prepare("SELECT path FROM reports WHERE run_id = ? ORDER BY path");
  q.bind(1, run);
  std::vector<std::filesystem::path> out;
  while (q.step()) {
    out.push_back(text_path(q.column_text(0)));
  }
  return out;
}

}  // namespace drvaudit::history
