#include "updater/journal.hpp"

#include <algorithm>
#include <set>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/private_state.hpp"

namespace drvaudit::updater {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS operations (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  command TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS steps (
  id INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES operations(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  params TEXT NOT NULL,
  state TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  reboot INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  UNIQUE (operation_id, seq)
);
)sql";

constexpr std::string_view kOperationStates[] = {"running",         "done",        "failed", "rolled_back",
                                                 "rollback_failed", "rolling_back"};
constexpr std::string_view kStepStates[] = {"pending", "started", "done", "skipped", "failed", "undone"};

OperationState parse_operation_state(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kOperationStates); ++i) {
    if (kOperationStates[i] == name) return static_cast<OperationState>(i);
  }
  throw ParseError("journal: unknown operation state '" + std::string(name) + "'");
}

nlohmann::json parse_json(const std::string& text) {
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded()) throw ParseError("journal: a row holds damaged JSON");
  return value;
}

constexpr const char* kOperationColumns = "id, kind, command, state, started_at, finished_at, message, details";

OperationRecord read_operation(const sqlite::Statement& q) {
  OperationRecord op;
  op.id = q.column_int(0);
  op.kind = q.column_text(1);
  op.command = q.column_text(2);
  op.state = parse_operation_state(q.column_view(3));
  op.started_at = q.column_text(4);
  op.finished_at = q.column_text(5);
  op.message = q.column_text(6);
  op.details = parse_json(q.column_text(7));
  return op;
}
}  // namespace

std::string_view step_state_name(StepState s) { return kStepStates[static_cast<std::size_t>(s)]; }

StepState parse_step_state(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kStepStates); ++i) {
    if (kStepStates[i] == name) return static_cast<StepState>(i);
  }
  throw ParseError("journal: unknown step state '" + std::string(name) + "'");
}

std::string_view operation_state_name(OperationState s) { return kOperationStates[static_cast<std::size_t>(s)]; }

bool OperationRecord::reboot_required() const {
  return std::any_of(steps.begin(), steps.end(),
                     [](const StepRecord& s) { return s.reboot_required && s.state == StepState::done; });
}

Journal::Journal(const std::filesystem::path& file)
    : db_([&] {
        private_state::prepare_file(file, true);
        return sqlite::Database(file);
      }()) {
  db_.set_advice({{}, "the journal " + file.string() + " is damaged; move it aside to start a new one"});
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
  db_.exec(kSchema);
}

std::int64_t Journal::begin(const std::string& kind, const std::string& command, const nlohmann::json& details,
                            const std::vector<PlannedStep>& steps) {
  refuse_if_interrupted(*this);
  sqlite::Transaction tx(db_);
  db_.prepare("INSERT INTO operations (kind, command, state, started_at, details) VALUES (?, ?, 'running', ?, ?)")
      .bind(1, kind)
      .bind(2, command)
      .bind(3, utc_now_iso8601())
      .bind(4, details.dump())
      .run();
  const auto id = db_.last_insert_rowid();
  auto insert =
      db_.prepare("INSERT INTO steps (operation_id, seq, kind, description, params, state) VALUES (?, ?, ?, ?, ?, ?)");
  int seq = 0;
  for (const auto& step : steps) {
    insert.bind(1, id)
        .bind(2, static_cast<std::int64_t>(++seq))
        .bind(3, step.kind)
        .bind(4, step.description)
        .bind(5, step.params.dump())
        .bind(6, step_state_name(StepState::pending));
    insert.run();
    insert.reset();
  }
  tx.commit();
  return id;
}

void Journal::mark_started(std::int64_t step_id, const nlohmann::json& params) {
  db_.prepare("UPDATE steps SET state = 'started', params = ?, started_at = ? WHERE id = ?")
      .bind(1, params.dump())
      .bind(2, utc_now_iso8601())
      .bind(3, step_id)
      .run();
}

void Journal::update_params(std::int64_t step_id, const nlohmann::json& params) {
  db_.prepare("UPDATE steps SET params = ? WHERE id = ?").bind(1, params.dump()).bind(2, step_id).run();
}

void Journal::mark(std::int64_t step_id, StepState state, const std::string& evidence, bool reboot,
                   const nlohmann::json& params) {
  db_.prepare("UPDATE steps SET state = ?, evidence = ?, reboot = ?, params = ?, finished_at = ? WHERE id = ?")
      .bind(1, step_state_name(state))
      .bind(2, evidence)
      .bind(3, static_cast<std::int64_t>(reboot ? 1 : 0))
      .bind(4, params.dump())
      .bind(5, utc_now_iso8601())
      .bind(6, step_id)
      .run();
}

void Journal::finish(std::int64_t operation_id, OperationState state, const std::string& message) {
  db_.prepare("UPDATE operations SET state = ?, message = ?, finished_at = ? WHERE id = ?")
      .bind(1, operation_state_name(state))
      .bind(2, message)
      .bind(3, utc_now_iso8601())
      .bind(4, operation_id)
      .run();
}

std::vector<StepRecord> Journal::steps_of(std::int64_t operation_id) const {
  auto q = db_.prepare(
      "SELECT id, seq, kind, description, params, state, evidence, reboot, started_at, finished_at FROM steps "
      "WHERE operation_id = ? ORDER BY seq");
  q.bind(1, operation_id);
  std::vector<StepRecord> steps;
  while (q.step()) {
    StepRecord s;
    s.id = q.column_int(0);
    s.seq = static_cast<int>(q.column_int(1));
    s.kind = q.column_text(2);
    s.description = q.column_text(3);
    s.params = parse_json(q.column_text(4));
    s.state = parse_step_state(q.column_view(5));
    s.evidence = q.column_text(6);
    s.reboot_required = q.column_int(7) != 0;
    s.started_at = q.column_text(8);
    s.finished_at = q.column_text(9);
    steps.push_back(std::move(s));
  }
  return steps;
}

void Journal::set_state(std::int64_t operation_id, OperationState state) {
  db_.prepare("UPDATE operations SET state = ? WHERE id = ?")
      .bind(1, operation_state_name(state))
      .bind(2, operation_id)
      .run();
}

std::optional<OperationRecord> Journal::get(std::int64_t id) const {
  auto q = db_.prepare(std::string("SELECT ") + kOperationColumns + " FROM operations WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto op = read_operation(q);
  op.steps = steps_of(op.id);
  return op;
}

std::optional<OperationRecord> Journal::last() const {
  auto q = db_.prepare("SELECT max(id) FROM operations");
  if (!q.step() || q.column_is_null(0)) return std::nullopt;
  return get(q.column_int(0));
}

std::optional<OperationRecord> Journal::unfinished() const {
  auto q = db_.prepare("SELECT max(id) FROM operations WHERE state IN ('running', 'rolling_back')");
  if (!q.step() || q.column_is_null(0)) return std::nullopt;
  return get(q.column_int(0));
}

std::vector<OperationRecord> Journal::list() const {
  auto q = db_.prepare(std::string("SELECT ") + kOperationColumns + " FROM operations ORDER BY id DESC");
  std::vector<OperationRecord> ops;
  while (q.step()) ops.push_back(read_operation(q));
  return ops;
}

namespace {
// What a step changed, as one name per thing: a device (instance ID) or a file (path).
std::vector<std::string> targets_of(const StepRecord& step) {
  std::vector<std::string> out;
  for (const char* key : {"instance_id", "path"}) {
    if (step.params.is_object() && step.params.contains(key) && step.params[key].is_string())
      out.push_back(step.params[key].get<std::string>());
  }
  return out;
}
bool in_effect(StepState s) { return s == StepState::started || s == StepState::done || s == StepState::failed; }
}  // namespace

std::vector<Overlap> newer_overlapping(const Journal& journal, const OperationRecord& op) {
  std::set<std::string> mine;
  for (const auto& s : op.steps) {
    if (!in_effect(s.state)) continue;
    for (auto& t : targets_of(s)) mine.insert(std::move(t));
  }
  std::vector<Overlap> out;
  if (mine.empty()) return out;
  for (const auto& header : journal.list()) {
    if (header.id <= op.id || header.state == OperationState::rolled_back) continue;
    const auto newer = journal.get(header.id);
    if (!newer) continue;
    Overlap o{newer->id, newer->kind, {}};
    for (const auto& s : newer->steps) {
      if (!in_effect(s.state)) continue;
      for (const auto& t : targets_of(s)) {
        if (mine.count(t) && std::find(o.targets.begin(), o.targets.end(), t) == o.targets.end())
          o.targets.push_back(t);
      }
    }
    if (!o.targets.empty()) out.push_back(std::move(o));
  }
  return out;
}

void refuse_if_interrupted(const Journal& journal) {
  const auto op = journal.unfinished();
  if (!op) return;
  std::string at;
  for (const auto& s : op->steps) {
    if (s.state == StepState::started) at = " at step " + std::to_string(s.seq) + " (" + s.description + ")";
  }
  const std::string what = op->kind == "update"   ? "run `drvaudit rollback --last` to undo it or `drvaudit update "
                                                    "--resume` to finish it"
                           : op->kind == "repair" ? "run `drvaudit repair undo --last` to undo it"
                                                  : "run `drvaudit rollback --last` to undo it";
  throw Error("operation " + std::to_string(op->id) + " (" + op->kind + ", started " + op->started_at +
                  ") was interrupted" + at + ": " + what,
              ErrorKind::busy);
}

}  // namespace drvaudit::updater
