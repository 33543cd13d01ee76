#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/driver_package.hpp"
#include "catalog/target_os.hpp"
#include "common/sqlite.hpp"

// The catalog: one SQLite database in the state folder (DESIGN.md §4) with sources, the files
// they hold, the driver packages in them, their Models lines for the catalog's target OS, and an
// index from upper-cased device ID to Models line.
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
  std::string target;
};

// One Models line with its package, as the audit and `catalog search` need it.
struct Entry {
  std::int64_t model_id = 0;
  std::string source;
  std::string path;  // the INF file
  std::string inf_name;
  std::string provider, class_name, class_guid, catalog_file;
  std::string manufacturer, description, install_section, ddinstall_section;
  bool nt_extension = false;
  std::string hardware_id;
  std::vector<std::string> compatible_ids;
  std::uint8_t feature_score = 0xFF;
  DriverDate date;
  DriverVersion version;
  int line = 0;
  bool is_signed() const { return !catalog_file.empty(); }
};

// What the store knows about one file from the last index run.
struct FileRecord {
  std::int64_t id = 0;
  std::int64_t size = 0;
  std::int64_t mtime = 0;
  std::string sha256;
};

class Store {
 public:
  enum class Mode { read_only, read_write };
  // read_only on a missing database gives an empty catalog (nothing indexed yet).
  Store(const std::filesystem::path& file, Mode mode);

  std::optional<inf::TargetOs> target() const;
  void set_target(const inf::TargetOs& target);

  std::int64_t ensure_source(const std::string& kind, const std::string& location);
  std::vector<SourceInfo> sources() const;
  void record_source_result(std::int64_t source_id, const std::string& status, const std::string& when);
  Stats stats() const;

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
  void put_file(bool replace, std::int64_t source_id, const std::string& path, std::int64_t size, std::int64_t mtime,
                const std::string& sha256, const std::string& status, const std::string& message,
                const inf::DriverPackage* package);

  // A feed's packages hang off one file row (the feed itself) instead of one row each. It has no
  // SHA-256: its signature authenticates it, and its HTTP validators identify the copy.
  std::int64_t put_feed_file(std::int64_t source_id, const std::string& url, std::int64_t size);
  void put_package(std::int64_t file_id, const inf::DriverPackage& package);

  std::vector<Entry> lookup(std::string_view device_id) const;
  std::vector<Entry> entries_of_inf(std::string_view inf_name) const;

  sqlite::Database& database() { return db_; }
  bool empty() const { return empty_; }

 private:
  std::vector<Entry> read_entries(sqlite::Statement& query) const;

  bool empty_ = false;  // declared before db_: db_'s initialiser sets it
  // Queries do not change the catalog, but SQLite statements are stateful: the connection is mutable.
  mutable sqlite::Database db_;
  mutable std::optional<sqlite::Statement> lookup_statement_;
  mutable std::optional<sqlite::Statement> inf_statement_;
  // Indexing writes thousands of files: its statements are prepared once per store.
  struct WriteStatements {
    sqlite::Statement delete_file, insert_file, insert_package, insert_model, insert_id;
  };
  std::optional<WriteStatements> write_;
  WriteStatements& write_statements();
};

}  // namespace drvaudit::catalog
