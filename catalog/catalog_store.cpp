#include "catalog/catalog_store.hpp"

#include "common/error.hpp"
#include "common/http.hpp"
#include "common/private_state.hpp"
#include "common/text.hpp"

namespace drvaudit::catalog {

namespace {
constexpr int kSchemaVersion = 4;

// Each step takes the schema from version N to N+1; a catalog is migrated in place when opened.
constexpr const char* kMigrations[] = {
    // 1 → 2: feed sources (settings and HTTP validators).
    "ALTER TABLE sources ADD COLUMN pubkey TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sources ADD COLUMN allow_unsigned INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sources ADD COLUMN ca_file TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sources ADD COLUMN etag TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE sources ADD COLUMN last_modified TEXT NOT NULL DEFAULT '';",
    // 2 → 3: the catalog becomes target-independent. A v2 catalog holds the Models lines of one
    // target only, so its packages cannot be converted: they go, their files are marked stale so
    // that the next `catalog index` reads them again, and feeds are fetched in full at the next sync.
    "DROP TABLE IF EXISTS model_ids; DROP TABLE IF EXISTS models; DROP TABLE IF EXISTS packages;"
    "ALTER TABLE files ADD COLUMN catalog_stamp TEXT NOT NULL DEFAULT '';"
    "DROP INDEX IF EXISTS files_scan;"
    "UPDATE files SET size = -1, mtime = -1, sha256 = '', status = 'stale',"
    "  message = 'indexed by an older drvaudit for one Windows version: index it again';"
    "UPDATE sources SET etag = '', last_modified = '';"
    "DELETE FROM meta WHERE key = 'target';",
    // 3 → 4: an index for the audit's coverage check (kSchema creates it): grouping the sections by
    // their target decorations sorted every section on every audit, most of an audit's time in a
    // large catalog.
    "",
};

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  location TEXT NOT NULL UNIQUE,
  last_indexed TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'new',
  pubkey TEXT NOT NULL DEFAULT '',
  allow_unsigned INTEGER NOT NULL DEFAULT 0,
  ca_file TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS files(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  path TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  catalog_stamp TEXT NOT NULL DEFAULT '');
DROP INDEX IF EXISTS files_by_source;
-- Covers the incremental-index scan (WHERE source_id = ? ORDER BY path): no table lookups.
CREATE INDEX IF NOT EXISTS files_scan ON files(source_id, path, id, size, mtime, sha256, status, catalog_stamp);
CREATE TABLE IF NOT EXISTS packages(
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  inf_name TEXT NOT NULL,
  provider TEXT NOT NULL,
  class TEXT NOT NULL,
  class_guid TEXT NOT NULL,
  location_kind TEXT NOT NULL,
  folder TEXT NOT NULL,
  download_url TEXT NOT NULL,
  download_size INTEGER NOT NULL,
  download_sha256 TEXT NOT NULL,
  download_format TEXT NOT NULL,
  inf_path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS packages_by_file ON packages(file_id);
CREATE INDEX IF NOT EXISTS packages_by_inf ON packages(inf_name COLLATE NOCASE);
-- One row per Models section of a [Manufacturer] line, with what decides whether it applies to a
-- machine (its decoration among the line's) and the signature status for its architecture.
CREATE TABLE IF NOT EXISTS sections(
  id INTEGER PRIMARY KEY,
  package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  manufacturer TEXT NOT NULL,
  manufacturer_line INTEGER NOT NULL,
  name TEXT NOT NULL,
  decoration TEXT NOT NULL,
  line_decorations TEXT NOT NULL,
  arch TEXT NOT NULL,
  catalog_file TEXT NOT NULL,
  signature_status TEXT NOT NULL,
  signer TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  chain TEXT NOT NULL,
  signature_detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sections_by_package ON sections(package_id);
CREATE INDEX IF NOT EXISTS sections_by_target ON sections(arch, decoration, line_decorations);
CREATE TABLE IF NOT EXISTS models(
  id INTEGER PRIMARY KEY,
  package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  section_id INTEGER NOT NULL,  -- a section goes with its package, and so do its lines
  description TEXT NOT NULL,
  install_section TEXT NOT NULL,
  ddinstall_section TEXT NOT NULL,
  nt_extension INTEGER NOT NULL,
  hardware_id TEXT NOT NULL,
  compatible_ids TEXT NOT NULL,
  feature_score INTEGER NOT NULL,
  driver_date TEXT NOT NULL,
  driver_version TEXT NOT NULL,
  line INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS models_by_package ON models(package_id);
CREATE TABLE IF NOT EXISTS model_ids(
  id_upper TEXT NOT NULL,
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  PRIMARY KEY(id_upper, model_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS model_ids_by_model ON model_ids(model_id);
)SQL";

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += '\n';
    out += id;
  }
  return out;
}

std::vector<std::string> split_ids(const std::string& joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  for (auto part : text::split(joined, '\n')) out.emplace_back(part);
  return out;
}
}  // namespace

namespace {
std::filesystem::path lock_file_of(const std::filesystem::path& catalog) {
  auto lock = catalog;
  lock += ".lock";
  return lock;
}

sqlite::Advice catalog_advice(const std::filesystem::path& file) {
  sqlite::Advice advice;
  advice.busy = [file] { return describe_holder(lock_file_of(file), "the catalog " + file.string()); };
  advice.damaged = "the catalog " + file.string() +
                   " is damaged; move it aside (or delete it) and build it again with `drvaudit catalog index "
                   "FOLDER`, and `drvaudit catalog add-source URL --pubkey KEY` + `catalog sync` for your feeds";
  return advice;
}

sqlite::Database open_catalog(const std::filesystem::path& file, sqlite::Database::Mode mode) {
  sqlite::Database db(file, mode);
  db.set_advice(catalog_advice(file));
  return db;
}

int stored_schema_version(const std::filesystem::path& file) {
  auto db = open_catalog(file, sqlite::Database::Mode::read_only);
  auto q = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  return q.step() ? std::stoi(q.column_text(0)) : kSchemaVersion;
}
}  // namespace

Store::Store(const std::filesystem::path& file, Mode mode)
    : db_([&] {
        // The catalog decides what the updater installs: never a link, never another user's file.
        if (mode == Mode::read_write) {
          private_state::prepare_folder(file.parent_path().empty() ? "." : file.parent_path());
          writer_lock_ =
              std::make_unique<LockFile>(lock_file_of(file), "the catalog " + file.string(), std::chrono::seconds(5));
          private_state::prepare_file(file, true);
        } else if (!private_state::prepare_file(file, false)) {
          empty_ = true;
          return sqlite::Database(":memory:");
        }
        // An older catalog is upgraded in place, even by a command that only reads it.
        if (mode == Mode::read_only && stored_schema_version(file) < kSchemaVersion)
          Store upgrade(file, Mode::read_write);
        return open_catalog(file, mode == Mode::read_only ? sqlite::Database::Mode::read_only
                                                          : sqlite::Database::Mode::read_write_create);
      }()) {
  db_.exec("PRAGMA foreign_keys = ON");
  if (mode == Mode::read_only && !empty_) {
    // An audit reads thousands of index pages: map the file instead of copying each page into a
    // small cache with read(). Pages are loaded only when touched.
    db_.exec("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384");
  }
  if (mode == Mode::read_write) {
    // WAL: an audit can read while an index runs; an interrupted index leaves the last commit.
    // 64 MB of page cache: a large index or feed transaction would otherwise spill pages constantly.
    db_.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536");
  }
  if (mode == Mode::read_write || empty_) {
    db_.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    auto version = db_.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    const std::optional<int> found =
        version.step() ? std::optional<int>(std::stoi(version.column_text(0))) : std::nullopt;
    version.reset();
    if (found && *found > kSchemaVersion) {
      throw Error("catalog " + file.string() + " has schema version " + std::to_string(*found) +
                  ", newer than this drvaudit's " + std::to_string(kSchemaVersion));
    }
    // Old state or new state, never a mix: the migrations, the new tables and the version move together.
    sqlite::Transaction tx(db_);
    if (found) {
      for (int v = *found; v < kSchemaVersion; ++v) db_.exec(kMigrations[v - 1]);
    }
    db_.exec(kSchema);
    db_.prepare(
           "INSERT INTO meta(key, value) VALUES('schema_version', ?1) ON CONFLICT(key) DO UPDATE SET value = "
           "excluded.value")
        .bind(1, std::to_string(kSchemaVersion))
        .run();
    tx.commit();
  }
}

std::int64_t Store::ensure_source(const std::string& kind, const std::string& location) {
  auto find = db_.prepare("SELECT id FROM sources WHERE location = ?1");
  find.bind(1, location);
  if (find.step()) return find.column_int(0);
  db_.prepare("INSERT INTO sources(kind, location) VALUES(?1, ?2)").bind(1, kind).bind(2, location).run();
  return db_.last_insert_rowid();
}

void Store::record_source_result(std::int64_t source_id, const std::string& status, const std::string& when) {
  db_.prepare("UPDATE sources SET status = ?1, last_indexed = ?2 WHERE id = ?3")
      .bind(1, status)
      .bind(2, when)
      .bind(3, source_id)
      .run();
}

std::vector<SourceInfo> Store::sources() const {
  auto q = db_.prepare(R"SQL(
    SELECT s.id, s.kind, s.location, s.last_indexed, s.status,
           (SELECT count(*) FROM files f WHERE f.source_id = s.id),
           (SELECT count(*) FROM packages p JOIN files f ON f.id = p.file_id WHERE f.source_id = s.id),
           (SELECT count(*) FROM files f WHERE f.source_id = s.id AND f.status = 'template'),
           (SELECT count(*) FROM files f WHERE f.source_id = s.id AND f.status IN ('error', 'not_inf'))
    FROM sources s ORDER BY s.id)SQL");
  std::vector<SourceInfo> out;
  while (q.step()) {
    out.push_back({q.column_int(0), q.column_text(1), q.column_text(2), q.column_text(3), q.column_text(4),
                   q.column_int(5), q.column_int(6), q.column_int(7), q.column_int(8)});
  }
  return out;
}

Stats Store::stats() const {
  Stats s = audit_stats();
  auto count = [&](const char* sql) {
    auto q = db_.prepare(sql);
    return q.step() ? q.column_int(0) : 0;
  };
  s.models = count("SELECT count(*) FROM models");
  s.ids = count("SELECT count(*) FROM model_ids");
  return s;
}

Stats Store::audit_stats() const {
  auto count = [&](const char* sql) {
    auto q = db_.prepare(sql);
    return q.step() ? q.column_int(0) : 0;
  };
  Stats s;
  s.sources = count("SELECT count(*) FROM sources");
  s.packages = count("SELECT count(*) FROM packages");
  // One pass over the files for all their counts (status has no index of its own).
  auto files = db_.prepare(
      "SELECT count(*), total(status = 'template'), total(status IN ('error', 'not_inf')), total(status = 'stale') "
      "FROM files");
  if (files.step()) {
    s.files = files.column_int(0);
    s.templates = files.column_int(1);
    s.failures = files.column_int(2);
    s.stale = files.column_int(3);
  }
  return s;
}

Store::SectionCounts Store::sections_for(const inf::TargetOs& target) const {
  // Sections differ in few decorations: grouping keeps this one scan of one small table.
  auto q = db_.prepare("SELECT arch, decoration, line_decorations, count(*) FROM sections GROUP BY 1, 2, 3");
  SectionCounts counts;
  while (q.step()) {
    counts.all += q.column_int(3);
    if (inf::section_applies(q.column_text(0), q.column_text(1), split_ids(q.column_text(2)), target))
      counts.for_target += q.column_int(3);
  }
  return counts;
}

FeedSource Store::add_feed_source(const std::string& url, const std::string& pubkey, bool allow_unsigned,
                                  const std::string& ca_file) {
  const auto id = ensure_source("feed", url);
  db_.prepare(
         "UPDATE sources SET kind = 'feed', pubkey = ?1, allow_unsigned = ?2, ca_file = ?3, etag = '', last_modified = "
         "'' WHERE id = ?4")
      .bind(1, pubkey)
      .bind(2, std::int64_t{allow_unsigned})
      .bind(3, ca_file)
      .bind(4, id)
      .run();
  for (auto& f : feed_sources()) {
    if (f.id == id) return f;
  }
  throw Error("catalog: the feed source was not recorded");
}

std::vector<FeedSource> Store::feed_sources() const {
  auto q = db_.prepare(
      "SELECT id, location, pubkey, allow_unsigned, ca_file, etag, last_modified FROM sources WHERE kind = 'feed' "
      "ORDER BY id");
  std::vector<FeedSource> out;
  while (q.step()) {
    out.push_back({q.column_int(0), q.column_text(1), q.column_text(2), q.column_int(3) != 0, q.column_text(4),
                   q.column_text(5), q.column_text(6)});
  }
  return out;
}

void Store::remove_files_of(std::int64_t source_id) {
  db_.prepare("DELETE FROM files WHERE source_id = ?1").bind(1, source_id).run();
}

void Store::record_feed_validators(std::int64_t source_id, const std::string& etag, const std::string& last_modified) {
  db_.prepare("UPDATE sources SET etag = ?1, last_modified = ?2 WHERE id = ?3")
      .bind(1, etag)
      .bind(2, last_modified)
      .bind(3, source_id)
      .run();
}

std::vector<std::pair<std::string, FileRecord>> Store::files_of(std::int64_t source_id) const {
  // Byte order (BINARY collation) matches how the indexer sorts the paths it finds.
  auto q = db_.prepare(
      "SELECT path, id, size, mtime, sha256, status, catalog_stamp FROM files WHERE source_id = ?1 ORDER BY path");
  q.bind(1, source_id);
  std::vector<std::pair<std::string, FileRecord>> out;
  while (q.step()) {
    out.push_back({q.column_text(0),
                   {q.column_int(1), q.column_int(2), q.column_int(3), q.column_text(4),
                    parse_file_status(q.column_text(5)).value_or(FileStatus::stale), q.column_text(6)}});
  }
  return out;
}

void Store::touch_file(std::int64_t file_id, std::int64_t size, std::int64_t mtime) {
  db_.prepare("UPDATE files SET size = ?1, mtime = ?2 WHERE id = ?3")
      .bind(1, size)
      .bind(2, mtime)
      .bind(3, file_id)
      .run();
}

void Store::remove_file(std::int64_t file_id) { db_.prepare("DELETE FROM files WHERE id = ?1").bind(1, file_id).run(); }

Store::WriteStatements& Store::write_statements() {
  if (!write_) {
    write_.emplace(WriteStatements{
        db_.prepare("DELETE FROM files WHERE path = ?1"),
        db_.prepare("INSERT INTO files(source_id, path, size, mtime, sha256, status, message, catalog_stamp) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(path) DO NOTHING"),
        db_.prepare("INSERT INTO packages(file_id, inf_name, provider, class, class_guid, location_kind, folder, "
                    "download_url, download_size, download_sha256, download_format, inf_path) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        db_.prepare("INSERT INTO sections(package_id, manufacturer, manufacturer_line, name, decoration, "
                    "line_decorations, arch, catalog_file, signature_status, signer, signed_at, chain, "
                    "signature_detail) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
        db_.prepare("INSERT INTO models(package_id, section_id, description, install_section, ddinstall_section, "
                    "nt_extension, hardware_id, compatible_ids, feature_score, driver_date, driver_version, line) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        db_.prepare("INSERT OR IGNORE INTO model_ids(id_upper, model_id) VALUES(?1, ?2)"),
    });
  }
  return *write_;
}

void Store::put_file(bool replace, std::int64_t source_id, const std::string& path, const FileRow& row,
                     const inf::DriverPackage* package, const PackageLocation* location) {
  auto& w = write_statements();
  if (replace) w.delete_file.bind(1, path).run();
  const std::string status(file_status_name(row.status));
  auto insert = [&] {
    w.insert_file.bind(1, source_id)
        .bind(2, path)
        .bind(3, row.size)
        .bind(4, row.mtime)
        .bind(5, row.sha256)
        .bind(6, status)
        .bind(7, row.message)
        .bind(8, row.catalog_stamp);
    w.insert_file.run();
  };
  insert();
  if (db_.changes() == 0) {
    // The path belongs to another source (overlapping folders): the latest index owns it.
    w.delete_file.bind(1, path).run();
    insert();
  }
  if (!package) return;
  put_package(db_.last_insert_rowid(), *package, location ? *location : PackageLocation{});
}

std::int64_t Store::put_feed_file(std::int64_t source_id, const std::string& url, std::int64_t size) {
  FileRow row;
  row.size = size;
  put_file(true, source_id, url, row, nullptr, nullptr);
  return db_.last_insert_rowid();
}

void Store::put_package(std::int64_t file_id, const inf::DriverPackage& package, const PackageLocation& location) {
  // Everything bound here outlives the run() that follows it, so nothing is copied into SQLite.
  auto& w = write_statements();
  const std::string kind = location.kind == PackageLocation::Kind::download ? "download" : "folder";
  w.insert_package.bind(1, file_id)
      .bind_borrowed(2, package.inf_name)
      .bind_borrowed(3, package.provider)
      .bind_borrowed(4, package.class_name)
      .bind_borrowed(5, package.class_guid)
      .bind_borrowed(6, kind)
      .bind_borrowed(7, location.folder)
      .bind_borrowed(8, location.url)
      .bind(9, location.size)
      .bind_borrowed(10, location.sha256)
      .bind_borrowed(11, location.format)
      .bind_borrowed(12, location.inf_path)
      .run();
  const auto package_id = db_.last_insert_rowid();
  // Models lines of one section are consecutive (the parser adds a section's lines together).
  std::int64_t section_id = 0;
  const inf::ModelEntry* section_of = nullptr;
  auto same_section = [](const inf::ModelEntry& a, const inf::ModelEntry& b) {
    return a.manufacturer_line == b.manufacturer_line && a.models_section == b.models_section &&
           a.decoration == b.decoration && a.arch == b.arch && a.manufacturer == b.manufacturer &&
           a.line_decorations == b.line_decorations;
  };
  static const inf::SignatureInfo kNotChecked{"", "", inf::SignatureStatus::not_checked, "", "", {}, ""};
  std::string device_id;
  for (const auto& m : package.models) {
    if (!section_of || !same_section(*section_of, m)) {
      const auto* sig = package.signature_for(m.arch);
      if (!sig) sig = &kNotChecked;
      const auto decorations = join_ids(m.line_decorations);
      const std::string status(inf::signature_status_name(sig->status)), chain(inf::chain_status_name(sig->chain));
      w.insert_section.bind(1, package_id)
          .bind_borrowed(2, m.manufacturer)
          .bind(3, std::int64_t{m.manufacturer_line})
          .bind_borrowed(4, m.models_section)
          .bind_borrowed(5, m.decoration)
          .bind_borrowed(6, decorations)
          .bind_borrowed(7, m.arch)
          .bind_borrowed(8, sig->catalog_file)
          .bind_borrowed(9, status)
          .bind_borrowed(10, sig->signer)
          .bind_borrowed(11, sig->signed_at)
          .bind_borrowed(12, chain)
          .bind_borrowed(13, sig->detail)
          .run();
      section_id = db_.last_insert_rowid();
      section_of = &m;
    }
    const auto compatible_ids = join_ids(m.compatible_ids);
    const auto date = m.driver_ver.date.to_iso();
    const auto version = m.driver_ver.version.to_string();
    w.insert_model.bind(1, package_id)
        .bind(2, section_id)
        .bind_borrowed(3, m.description)
        .bind_borrowed(4, m.install_section)
        .bind_borrowed(5, m.ddinstall_section)
        .bind(6, std::int64_t{m.nt_extension})
        .bind_borrowed(7, m.hardware_id)
        .bind_borrowed(8, compatible_ids)
        .bind(9, std::int64_t{m.feature_score})
        .bind_borrowed(10, date)
        .bind_borrowed(11, version)
        .bind(12, std::int64_t{m.line})
        .run();
    const auto model_id = db_.last_insert_rowid();
    auto add = [&](const std::string& id) {
      if (id.empty()) return;
      device_id.assign(id);
      text::upper_in_place(device_id);
      w.insert_id.bind_borrowed(1, device_id).bind(2, model_id).run();
    };
    add(m.hardware_id);
    for (const auto& c : m.compatible_ids) add(c);
  }
}

namespace {
constexpr const char* kEntryColumns =
    "SELECT m.id, m.section_id, p.id, s.location, s.kind, f.path, p.inf_name, p.provider, p.class, p.class_guid, "
    "c.manufacturer, c.manufacturer_line, c.name, c.decoration, c.line_decorations, c.arch, "
    "m.description, m.install_section, m.ddinstall_section, m.nt_extension, m.hardware_id, m.compatible_ids, "
    "m.feature_score, m.driver_date, m.driver_version, m.line, "
    "c.catalog_file, c.signature_status, c.signer, c.signed_at, c.chain, c.signature_detail, "
    "p.location_kind, p.folder, p.download_url, p.download_size, p.download_sha256, p.download_format, p.inf_path ";
// CROSS JOIN fixes SQLite's join order: each query starts from the index that selects its few rows,
// whatever statistics the database holds. Stale sqlite_stat1 rows once made the planner start from
// the sources table and visit every Models line (store_test.cpp has the case).
constexpr const char* kFromDeviceId =
    "FROM model_ids i CROSS JOIN models m ON m.id = i.model_id CROSS JOIN sections c ON c.id = m.section_id "
    "CROSS JOIN packages p ON p.id = m.package_id CROSS JOIN files f ON f.id = p.file_id "
    "CROSS JOIN sources s ON s.id = f.source_id ";
constexpr const char* kFromInfName =
    "FROM packages p CROSS JOIN models m ON m.package_id = p.id CROSS JOIN sections c ON c.id = m.section_id "
    "CROSS JOIN files f ON f.id = p.file_id CROSS JOIN sources s ON s.id = f.source_id ";
constexpr const char* kFromAll =
    "FROM files f CROSS JOIN packages p ON p.file_id = f.id CROSS JOIN models m ON m.package_id = p.id "
    "CROSS JOIN sections c ON c.id = m.section_id CROSS JOIN sources s ON s.id = f.source_id ";

Entry read_entry(sqlite::Statement& q) {
  Entry e;
  int c = 0;
  e.model_id = q.column_int(c++);
  e.section_id = q.column_int(c++);
  e.package_id = q.column_int(c++);
  e.source = q.column_text(c++);
  e.source_kind = q.column_text(c++);
  e.path = q.column_text(c++);
  e.inf_name = q.column_text(c++);
  e.provider = q.column_text(c++);
  e.class_name = q.column_text(c++);
  e.class_guid = q.column_text(c++);
  e.manufacturer = q.column_text(c++);
  e.manufacturer_line = static_cast<int>(q.column_int(c++));
  e.models_section = q.column_text(c++);
  e.decoration = q.column_text(c++);
  e.line_decorations = split_ids(q.column_text(c++));
  e.arch = q.column_text(c++);
  e.description = q.column_text(c++);
  e.install_section = q.column_text(c++);
  e.ddinstall_section = q.column_text(c++);
  e.nt_extension = q.column_int(c++) != 0;
  e.hardware_id = q.column_text(c++);
  e.compatible_ids = split_ids(q.column_text(c++));
  e.feature_score = static_cast<std::uint8_t>(q.column_int(c++));
  e.date = DriverDate::parse(q.column_text(c++));
  e.version = DriverVersion::try_parse(q.column_text(c++)).value_or(DriverVersion());
  e.line = static_cast<int>(q.column_int(c++));
  e.signature.arch = e.arch;
  e.signature.catalog_file = q.column_text(c++);
  e.signature.status = inf::parse_signature_status(q.column_text(c++)).value_or(inf::SignatureStatus::not_checked);
  e.signature.signer = q.column_text(c++);
  e.signature.signed_at = q.column_text(c++);
  e.signature.chain = inf::parse_chain_status(q.column_text(c++)).value_or(inf::ChainStatus::not_checked);
  e.signature.detail = q.column_text(c++);
  e.location.kind = q.column_text(c++) == "download" ? PackageLocation::Kind::download : PackageLocation::Kind::folder;
  if (e.location.kind == PackageLocation::Kind::download) e.location.base = e.source;
  e.location.folder = q.column_text(c++);
  e.location.url = q.column_text(c++);
  e.location.size = q.column_int(c++);
  e.location.sha256 = q.column_text(c++);
  e.location.format = q.column_text(c++);
  e.location.inf_path = q.column_text(c++);
  return e;
}
}  // namespace

std::string_view file_status_name(FileStatus s) {
  switch (s) {
    case FileStatus::indexed: return "indexed";
    case FileStatus::template_inf: return "template";
    case FileStatus::not_inf: return "not_inf";
    case FileStatus::error: return "error";
    case FileStatus::stale: return "stale";
  }
  return "stale";
}

std::optional<FileStatus> parse_file_status(std::string_view name) {
  for (auto s :
       {FileStatus::indexed, FileStatus::template_inf, FileStatus::not_inf, FileStatus::error, FileStatus::stale}) {
    if (file_status_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string PackageLocation::absolute_url() const { return base.empty() ? url : http::resolve(base, url); }

bool applies_to(const Entry& entry, const inf::TargetOs& target) {
  return inf::section_applies(entry.arch, entry.decoration, entry.line_decorations, target);
}

std::vector<Entry> Store::read_entries(sqlite::Statement& q) const {
  std::vector<Entry> out;
  while (q.step()) out.push_back(read_entry(q));
  q.reset();
  return out;
}

std::vector<Entry> Store::lookup(std::string_view device_id) const {
  if (!lookup_statement_) {
    lookup_statement_.emplace(
        db_.prepare(std::string(kEntryColumns) + kFromDeviceId + "WHERE i.id_upper = ?1 ORDER BY f.path, m.line"));
  }
  lookup_statement_->bind(1, text::to_upper(text::trim(device_id)));
  return read_entries(*lookup_statement_);
}

std::vector<Entry> Store::entries_of_inf(std::string_view inf_name) const {
  if (!inf_statement_) {
    inf_statement_.emplace(db_.prepare(std::string(kEntryColumns) + kFromInfName +
                                       "WHERE p.inf_name = ?1 COLLATE NOCASE ORDER BY f.path, m.line"));
  }
  inf_statement_->bind(1, inf_name);
  return read_entries(*inf_statement_);
}

void Store::for_each_entry(const std::function<void(const Entry&)>& visit) const {
  auto q = db_.prepare(std::string(kEntryColumns) + kFromAll + "ORDER BY f.path, m.line");
  while (q.step()) visit(read_entry(q));
}

std::vector<FileProblem> Store::problems() const {
  auto q =
      db_.prepare("SELECT path, status, message FROM files WHERE status <> 'indexed' OR message <> '' ORDER BY path");
  std::vector<FileProblem> out;
  while (q.step())
    out.push_back(
        {q.column_text(0), parse_file_status(q.column_text(1)).value_or(FileStatus::stale), q.column_text(2)});
  return out;
}

}  // namespace drvaudit::catalog
