#include "fleet/ingest.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

#include "common/error.hpp"
#include "common/file_walk.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"

namespace drvaudit::fleet {

namespace {
// A report read and checked, or why it could not be.
using Parsed = std::variant<FleetReport, std::string>;

// Reading and checking a report costs about as much as storing it: one thread reads the next
// reports while this one stores, in the files' order. At most `kAhead` reports wait in memory.
class ReportPipeline {
 public:
  explicit ReportPipeline(const std::vector<const FileEntry*>& files)
      : files_(files), worker_([this] { read_all(); }) {}
  ~ReportPipeline() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }
  ReportPipeline(const ReportPipeline&) = delete;
  ReportPipeline& operator=(const ReportPipeline&) = delete;

  Parsed next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !ready_.empty(); });
    Parsed p = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return p;
  }

 private:
  static constexpr std::size_t kAhead = 4;

  void read_all() {
    for (const auto* f : files_) {
      Parsed parsed;
      try {
        parsed = read_report(read_whole_file(f->path));
      } catch (const Error& e) {
        parsed = std::string(e.what());
      } catch (const std::exception& e) {
        parsed = std::string("cannot be read: ") + e.what();
      }
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || ready_.size() < kAhead; });
      if (stop_) return;
      ready_.push_back(std::move(parsed));
      changed_.notify_all();
    }
  }

  const std::vector<const FileEntry*>& files_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Parsed> ready_;
  bool stop_ = false;
  std::thread worker_;  // last: it starts once everything it uses exists
};
}  // namespace

IngestSummary ingest_folders(FleetStore& store, const std::vector<std::filesystem::path>& folders,
                             const std::function<void(std::size_t done, std::size_t total)>& progress) {
  IngestSummary summary;
  std::vector<FileEntry> files;
  for (const auto& folder : folders) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
      throw UsageError("fleet ingest: " + folder.string() + " is not a folder");
    auto found = list_files(folder, [](std::string_view name) { return text::iends_with(name, ".json"); });
    files.insert(files.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  summary.files = files.size();
  std::vector<const FileEntry*> to_read;
  for (const auto& f : files) {
    if (store.known({f.path, f.stamp.size, f.stamp.mtime_ns})) {
      ++summary.unchanged;
    } else {
      to_read.push_back(&f);
    }
  }
  ReportPipeline pipeline(to_read);
  std::size_t done = summary.unchanged;
  for (const auto* f : to_read) {
    if (progress) progress(done++, files.size());
    auto parsed = pipeline.next();
    if (auto* problem = std::get_if<std::string>(&parsed)) {
      summary.bad.emplace_back(f->path, std::move(*problem));
      continue;
    }
    if (store.ingest(std::get<FleetReport>(parsed), {f->path, f->stamp.size, f->stamp.mtime_ns}) ==
        IngestOutcome::added) {
      ++summary.added;
    } else {
      ++summary.already;
    }
  }
  if (summary.added) store.make_durable();
  if (progress) progress(files.size(), files.size());
  return summary;
}

}  // namespace drvaudit::fleet
