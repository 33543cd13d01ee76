#include "catalog/inf_folder_indexer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <optional>
#include <system_error>

#include "catalog/signature_check.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/file_walk.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"

namespace drvaudit::catalog {

namespace fs = std::filesystem;

namespace {
constexpr std::uintmax_t kMaxInfBytes = 64ull * 1024 * 1024;  // far above any real INF; stops runaway files

// Reads into a buffer the caller reuses from file to file, so its capacity is allocated once.
void read_bytes(const fs::path& p, std::uintmax_t size, std::string& bytes) {
  std::ifstream in;
  in.rdbuf()->pubsetbuf(nullptr, 0);  // one sized read: a stream buffer would be allocated per file for nothing
  errno = 0;
  in.open(p, std::ios::binary);
  // The reason the OS gave (permission denied, …), so that `catalog problems` can say why.
  if (!in) throw Error("cannot read " + p.string() + (errno ? ": " + std::generic_category().message(errno) : ""));
  bytes.resize(static_cast<std::size_t>(size));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));  // a file that shrank meanwhile
  if (in.bad()) throw Error("cannot read " + p.string() + (errno ? ": " + std::generic_category().message(errno) : ""));
}

}  // namespace

bool is_inf_file(const fs::path& path) { return text::iequals(path.extension().string(), ".inf"); }

IndexReport index_folder(Store& store, const fs::path& folder_in, const IndexOptions& options) {
  std::error_code ec;
  const fs::path folder = fs::weakly_canonical(fs::absolute(folder_in), ec);
  if (ec || !fs::is_directory(folder)) throw Error("not a folder: " + folder_in.string());

  IndexReport report;
  report.folder = folder.string();
  const auto files = list_files(folder, [](std::string_view name) {
    return name.size() > 4 && text::iequals(name.substr(name.size() - 4), ".inf");
  });
  report.files = files.size();

  std::optional<sqlite::Transaction> tx(std::in_place, store.database());
  const auto source_id = store.ensure_source("inf-folder", folder.string());
  std::size_t in_batch = 0;
  auto batch_started = std::chrono::steady_clock::now();
  // Ends the open batch when it is full or old enough (or when asked to), and starts the next one.
  auto commit_batch = [&](bool force) {
    if (!force && in_batch < options.batch_files &&
        std::chrono::steady_clock::now() - batch_started < options.batch_time)
      return;
    tx->commit();
    ++report.batches;
    tx.emplace(store.database());
    in_batch = 0;
    batch_started = std::chrono::steady_clock::now();
  };

  // Both lists are in byte order of their paths: a merge walk pairs them without a hash table.
  const auto known = store.files_of(source_id);
  std::size_t next_known = 0;
  std::vector<std::int64_t> vanished;

  std::size_t done = 0;
  std::string bytes;
  CatalogFinder catalogs;
  for (const auto& [path, stamp] : files) {
    if (options.stop_requested && options.stop_requested()) {
      report.interrupted = true;
      break;
    }
    const std::int64_t size = stamp.size;
    const std::int64_t mtime = stamp.mtime_ns;
    while (next_known < known.size() && known[next_known].first < path)
      vanished.push_back(known[next_known++].second.id);
    const FileRecord* record =
        (next_known < known.size() && known[next_known].first == path) ? &known[next_known++].second : nullptr;
    const bool was_known = record != nullptr;
    // A file that could not be read may be readable now; a stale one was read for one target only.
    const bool reusable = was_known && record->status != FileStatus::error && record->status != FileStatus::stale;
    const fs::path file = path;
    auto catalogs_unchanged = [&] {
      return record->catalog_stamp.empty() ||
             catalog_stamp(file, record->catalog_stamp, catalogs) == record->catalog_stamp;
    };
    if (reusable && record->size == size && record->mtime == mtime && catalogs_unchanged()) {
      ++report.unchanged;
      if (options.progress) options.progress(++done, files.size(), path);
      continue;
    }
    Store::FileRow row;
    row.size = size;
    row.mtime = mtime;
    std::optional<inf::DriverPackage> package;
    if (static_cast<std::uintmax_t>(size) > kMaxInfBytes) {
      row.status = FileStatus::error;
      row.message = "larger than 64 MiB: not an INF";
    } else {
      bytes.clear();
      try {
        read_bytes(file, static_cast<std::uintmax_t>(size), bytes);
      } catch (const Error& e) {
        row.status = FileStatus::error;
        row.message = e.what();
      }
      report.bytes_read += bytes.size();
      // The hash decides only when the size is the same but the mtime is not (a copy, a touch);
      // new and resized files are parsed anyway, so hashing them would be wasted work.
      if (reusable && record->size == size && row.status == FileStatus::indexed) {
        row.sha256 = hash::sha256_hex(bytes);
        if (record->sha256 == row.sha256 && catalogs_unchanged()) {
          store.touch_file(record->id, size, mtime);
          ++in_batch;
          ++report.unchanged;
          if (options.progress) options.progress(++done, files.size(), path);
          continue;
        }
      }
      if (row.status == FileStatus::indexed) {
        try {
          package = inf::load_package(bytes, file.filename().string());
          if (package->template_reason) {
            row.status = FileStatus::template_inf;
            row.message = *package->template_reason;
            package.reset();
          } else {
            row.catalog_stamp = check_signatures(*package, bytes, file, catalogs);
          }
        } catch (const inf::NotAnInf& e) {
          row.status = FileStatus::not_inf;
          row.message = e.what();
        }
      }
    }
    if (row.status == FileStatus::indexed) {
      ++report.packages;
      for (const auto& d : package->diagnostics) {
        report.warnings.push_back(path + ":" + std::to_string(d.line) + ": " + d.message);
        row.message +=
            (row.message.empty() ? "" : "\n") + std::string("line ") + std::to_string(d.line) + ": " + d.message;
      }
    } else {
      (row.status == FileStatus::template_inf ? report.templates : report.failures)++;
      report.problems.emplace_back(path, row.message);
    }
    PackageLocation location;
    location.kind = PackageLocation::Kind::folder;
    location.folder = file.parent_path().string();
    location.inf_path = file.filename().string();
    store.put_file(was_known, source_id, path, row, package ? &*package : nullptr, &location);
    (was_known ? report.updated : report.added)++;
    ++in_batch;
    if (options.progress) options.progress(++done, files.size(), path);
    commit_batch(false);
  }
  report.done = done;
  if (!report.interrupted) {
    // Only a whole walk knows which files are gone; an interrupted one leaves that to the next run.
    while (next_known < known.size()) vanished.push_back(known[next_known++].second.id);
    for (const auto id : vanished) {
      store.remove_file(id);
      ++report.removed;
    }
    if (report.changed()) store.record_source_result(source_id, "ok", utc_now_iso8601());
  }
  commit_batch(true);
  return report;
}

}  // namespace drvaudit::catalog
