#include "catalog/inf_folder_indexer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"

namespace drvaudit::catalog {

namespace fs = std::filesystem;

namespace {
constexpr std::uintmax_t kMaxInfBytes = 64ull * 1024 * 1024;  // far above any real INF; stops runaway files

std::int64_t mtime_of(const fs::path& p) {
  return static_cast<std::int64_t>(fs::last_write_time(p).time_since_epoch().count());
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> inf_files_below(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw Error("cannot read folder " + folder.string() + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      spdlog::warn("{}: {}", folder.string(), ec.message());
      break;
    }
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && is_inf_file(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

bool is_inf_file(const fs::path& path) { return text::iequals(path.extension().string(), ".inf"); }

IndexReport index_folder(Store& store, const fs::path& folder_in, const IndexOptions& options) {
  std::error_code ec;
  const fs::path folder = fs::weakly_canonical(fs::absolute(folder_in), ec);
  if (ec || !fs::is_directory(folder)) throw Error("not a folder: " + folder_in.string());

  IndexReport report;
  report.folder = folder.string();
  const auto files = inf_files_below(folder);
  report.files = files.size();

  sqlite::Transaction tx(store.database());
  const auto stored_target = store.target();
  report.target_changed = stored_target && !(*stored_target == options.target);
  if (!stored_target || report.target_changed) store.set_target(options.target);
  const auto source_id = store.ensure_source("inf-folder", folder.string());

  std::map<std::string, FileRecord> known;
  for (auto& [path, record] : store.files_of(source_id)) known.emplace(path, record);

  std::size_t done = 0;
  for (const auto& file : files) {
    const auto path = file.string();
    const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
    const auto mtime = ec ? 0 : mtime_of(file);
    const auto it = known.find(path);
    const bool was_known = it != known.end();
    if (was_known && !report.target_changed && it->second.size == size && it->second.mtime == mtime) {
      ++report.unchanged;
      known.erase(it);
      if (options.progress) options.progress(++done, files.size(), path);
      continue;
    }
    std::string status = "indexed", message;
    std::optional<inf::DriverPackage> package;
    std::string digest;
    if (static_cast<std::uintmax_t>(size) > kMaxInfBytes) {
      status = "error";
      message = "larger than 64 MiB: not an INF";
    } else {
      std::string bytes;
      try {
        bytes = read_bytes(file);
      } catch (const Error& e) {
        status = "error";
        message = e.what();
      }
      report.bytes_read += bytes.size();
      // The hash decides only when the size is the same but the mtime is not (a copy, a touch);
      // new and resized files are parsed anyway, so hashing them would be wasted work.
      if (was_known && !report.target_changed && it->second.size == size) {
        digest = hash::sha256_hex(bytes);
        if (it->second.sha256 == digest) {
          store.touch_file(it->second.id, size, mtime);
          ++report.unchanged;
          known.erase(it);
          if (options.progress) options.progress(++done, files.size(), path);
          continue;
        }
      }
      if (status == "indexed") {
        try {
          package = inf::load_package(bytes, file.filename().string(), options.target);
          if (package->template_reason) {
            status = "template";
            message = *package->template_reason;
            package.reset();
          }
        } catch (const inf::NotAnInf& e) {
          status = "not_inf";
          message = e.what();
        }
      }
    }
    if (status == "indexed") {
      ++report.packages;
    } else {
      (status == "template" ? report.templates : report.failures)++;
      report.problems.emplace_back(path, message);
    }
    store.put_file(source_id, path, size, mtime, digest, status, message, package ? &*package : nullptr);
    (was_known ? report.updated : report.added)++;
    if (was_known) known.erase(it);
    if (options.progress) options.progress(++done, files.size(), path);
  }
  for (const auto& [path, record] : known) {
    store.remove_file(record.id);
    ++report.removed;
  }
  if (report.changed()) {
    store.record_source_result(source_id, "ok", utc_now_iso8601());
  }
  tx.commit();
  return report;
}

}  // namespace drvaudit::catalog
