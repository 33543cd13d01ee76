#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/driver_package.hpp"
#include "catalog/target_os.hpp"
#include "common/lock_file.hpp"
#include "common/sqlite.hpp"

// The catalog: one SQLite database in the state folder (DESIGN.md §4) with sources, the files
// they hold, the driver packages in them, every Models section with its decoration and signature
// status, their Models lines, and an index from upper-cased device ID to Models line. It is
// target-independent: the audit chooses the sections that apply to each machine.
namespace drvaudit::catalog {

struct SourceInfo {
  std::int64_t id = 0;
  std::string kind;      // "inf-folder", …
  std::string location;  // folder path or URL
  std::string last_indexed;
  std::string status;  // "ok", or what went wrong
  std::int64_t files = 0, packages = 0, templates = 0, failures = 0;
};

// A signed feed this catalog syncs (catalog add-source).
struct FeedSource {
  std::int64_t id = 0;
  std::string url;
  std::string pubkey;  // minisign public key (base64 line)
  bool allow_unsigned = false;
  std::string ca_file;
  std::string etag, last_modified;  // validators of the copy in the catalog
};

struct Stats {
  std::int64_t sources = 0, files = 0, packages = 0, models = 0, ids = 0, templates = 0, failures = 0;
  std::int64_t stale = 0;  // files indexed by an older drvaudit, to be read again
};

enum class FileStatus : std::uint8_t { indexed, template_inf, not_inf, error, stale };
std::string_view file_status_name(FileStatus s);  // "indexed", "template", "not_inf", "error", "stale"
std::optional<FileStatus> parse_file_status(std::string_view name);

// Where the updater gets a package's files from (DESIGN.md §5).
struct PackageLocation {
  enum class Kind : std::uint8_t { folder, download };
  Kind kind = Kind::folder;
  std::string folder;  // folder: the INF's own folder
  std::string url;     // download: the archive's URL as the feed gives it (may be relative to the feed)
  std::string base;    // download: the feed's URL, which a relative url is relative to
  std::int64_t size = 0;
  std::string sha256, format;  // format: zip | cab
  std::string inf_path;        // download: the INF's path inside the archive

  // The archive's absolute URL (resolved when needed: a feed has one per package, an update needs a
  // few). Throws Error when the URL is not one.
  std::string absolute_url() const;
};

// One Models line with its package and section, as the audit and `catalog search` need it.
struct Entry {
  std::int64_t model_id = 0, section_id = 0, package_id = 0;
  std::string source, source_kind;
  std::string path;  // the INF file (a feed's URL for feed packages)
  std::string inf_name;
  std::string provider, class_name, class_guid;
  std::string manufacturer;
  int manufacturer_line = 0;
  std::string models_section, decoration, arch;
  std::vector<std::string> line_decorations;
  std::string description, install_section, ddinstall_section;
  bool nt_extension = false;
  std::string hardware_id;
  std::vector<std::string> compatible_ids;
  std::uint8_t feature_score = 0xFF;
  DriverDate date;
  DriverVersion version;
  int line = 0;
  inf::SignatureInfo signature;
  PackageLocation location;

  bool trusted_signature() const { return signature.trusted(); }
};
// Whether the entry's Models section is the one its [Manufacturer] line gives the target.
bool applies_to(const Entry& entry, const inf::TargetOs& target);

// What the store knows about one file from the last index run.
struct FileRecord {
  std::int64_t id = 0;
  std::int64_t size = 0;
  std::int64_t mtime = 0;
  std::string sha256;
  FileStatus status = FileStatus::indexed;
  std::string catalog_stamp;  // the catalogs its signature status was read from
};

// A problem the indexer recorded for one file (`catalog problems`).
struct FileProblem {
  std::string path;
  FileStatus status = FileStatus::indexed;
  std::string message;
};

class Store {
 public:
  enum class Mode { read_only, read_write };
  // read_only on a missing database gives an empty catalog (nothing indexed yet).
  Store(const std::filesystem::path& file, Mode mode);

  std::int64_t ensure_source(const std::string& kind, const std::string& location);
  std::vector<SourceInfo> sources() const;
  void record_source_result(std::int64_t source_id, const std::string& status, const std::string& when);
  Stats stats() const;
  // The counts an audit reports (sources, files, packages and their statuses) without counting the
  // Models lines and the ID index, which in a large catalog (6.6 M IDs) costs most of a second.
  Stats audit_stats() const;

  // Feed sources: added or updated (URL, key, CA, opt-out), listed, and their content replaced in
  // one go. replace_feed_content runs inside the caller's transaction.
  FeedSource add_feed_source(const std::string& url, const std::string& pubkey, bool allow_unsigned,
                             const std::string& ca_file);
  std::vector<FeedSource> feed_sources() const;
  void remove_files_of(std::int64_t source_id);
  void record_feed_validators(std::int64_t source_id, const std::string& etag, const std::string& last_modified);

  // Files of a source in path order (byte order), for incremental indexing.
  std::vector<std::pair<std::string, FileRecord>> files_of(std::int64_t source_id) const;
  void touch_file(std::int64_t file_id, std::int64_t size, std::int64_t mtime);
  void remove_file(std::int64_t file_id);
  // Records a file and its package. replace: the file was in the catalog before and its old rows
  // go first. status: "indexed", "template", "not_inf", "error".
  struct FileRow {
    std::int64_t size = 0, mtime = 0;
    std::string sha256;
    FileStatus status = FileStatus::indexed;
    std::string message, catalog_stamp;
  };
  void put_file(bool replace, std::int64_t source_id, const std::string& path, const FileRow& row,
                const inf::DriverPackage* package, const PackageLocation* location);

  // A feed's packages hang off one file row (the feed itself) instead of one row each. It has no
  // SHA-256: its signature authenticates it, and its HTTP validators identify the copy.
  std::int64_t put_feed_file(std::int64_t source_id, const std::string& url, std::int64_t size);
  void put_package(std::int64_t file_id, const inf::DriverPackage& package, const PackageLocation& location);

  std::vector<Entry> lookup(std::string_view device_id) const;
  std::vector<Entry> entries_of_inf(std::string_view inf_name) const;
  // Every Models line, in file and line order, handed to the visitor one at a time.
  void for_each_entry(const std::function<void(const Entry&)>& visit) const;
  std::vector<FileProblem> problems() const;

  sqlite::Database& database() { return db_; }
  bool empty() const { return empty_; }
  // How many Models sections there are, and how many apply to a target: none that apply means the
  // catalog cannot judge any device of that Windows version and architecture (the audit's coverage).
  struct SectionCounts {
    std::int64_t all = 0, for_target = 0;
  };
  SectionCounts sections_for(const inf::TargetOs& target) const;

 private:
  std::vector<Entry> read_entries(sqlite::Statement& query) const;

  bool empty_ = false;  // declared before db_: db_'s initialiser sets it
  // A writer holds <catalog>.lock: one writer at a time, and a refused one can say who holds it.
  std::unique_ptr<LockFile> writer_lock_;
  // Queries do not change the catalog, but SQLite statements are stateful: the connection is mutable.
  mutable sqlite::Database db_;
  mutable std::optional<sqlite::Statement> lookup_statement_;
  mutable std::optional<sqlite::Statement> inf_statement_;
  // Indexing writes thousands of files: its statements are prepared once per store.
  struct WriteStatements {
    sqlite::Statement delete_file, insert_file, insert_package, insert_section, insert_model, insert_id;
  };
  std::optional<WriteStatements> write_;
  WriteStatements& write_statements();
};

}  // namespace drvaudit::catalog
