#include "fleet/ingest.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "common/bounded_read.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/file_walk.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"

namespace drvaudit::fleet {

namespace {
// A report read and checked, or why it could not be.
using Parsed = std::variant<FleetReport, std::string>;

// A report file read within its bounds and checked against the rules a schema cannot say: the
// folder it sits in and the time it claims.
FleetReport read_checked(const std::string& path, const IngestRules& rules) {
  auto report =
      read_report(read_bounded_file(path, {rules.max_report_size, std::chrono::seconds(30), "--max-report-size"}));
  if (rules.machine_must_match_folder) {
    const auto folder = std::filesystem::u8path(path).parent_path().filename().u8string();
    const std::string name(folder.begin(), folder.end());
    if (!text::iequals(name, report.machine))
      throw ParseError("the report is machine " + text::escape_control(report.machine) + "'s but sits in the folder " +
                       text::escape_control(name) + ": each machine's reports belong in a folder of its name");
  }
  const auto recorded = parse_iso8601(report.recorded_at);  // checked by read_report
  if (recorded && *recorded > std::chrono::system_clock::now() + rules.max_future_skew)
    throw ParseError("run.recorded_at " + report.recorded_at + " is in the future (more than " +
                     std::to_string(rules.max_future_skew.count() / 60) + " minutes ahead of this clock)");
  return report;
}

// Reading and checking a report costs about as much as storing it: reader threads read the next
// reports while the caller stores them, in the files' order. Reader k takes files k, k + n, k + 2n…;
// none runs more than kAhead files ahead of the caller, so at most that many reports wait in memory.
// More than one reader: next to the writers and the database server, one reader got too little of
// two cores to keep up.
class ReportPipeline {
 public:
  ReportPipeline(const std::vector<const FileEntry*>& files, std::size_t readers, const IngestRules& rules)
      : files_(files), rules_(rules) {
    for (std::size_t k = 0; k < readers; ++k) readers_.emplace_back([this, k, readers] { read_from(k, readers); });
  }
  ~ReportPipeline() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (auto& r : readers_) r.join();
  }
  ReportPipeline(const ReportPipeline&) = delete;
  ReportPipeline& operator=(const ReportPipeline&) = delete;

  // The next file's report, in the files' order.
  Parsed next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_.count(next_) != 0; });
    const auto it = ready_.find(next_);
    Parsed p = std::move(it->second);
    ready_.erase(it);
    ++next_;
    changed_.notify_all();
    return p;
  }

 private:
  static constexpr std::size_t kAhead = 8;

  void read_from(std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < files_.size(); i += step) {
      Parsed parsed;
      try {
        parsed = read_checked(files_[i]->path, rules_);
      } catch (const Error& e) {
        parsed = std::string(e.what());
      } catch (const std::exception& e) {
        parsed = std::string("cannot be read: ") + e.what();
      }
      std::unique_lock lock(mutex_);
      // The file the caller waits for is always the reader's current one, so this never waits forever.
      changed_.wait(lock, [&] { return stop_ || i < next_ + kAhead; });
      if (stop_) return;
      ready_.emplace(i, std::move(parsed));
      changed_.notify_all();
    }
  }

  const std::vector<const FileEntry*>& files_;
  const IngestRules& rules_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::size_t, Parsed> ready_;  // file index → its report
  std::size_t next_ = 0;                 // the file the caller takes next
  bool stop_ = false;
  std::vector<std::thread> readers_;  // last: they start once everything they use exists
};

// One writer: a store on its own thread, taking the reports given to it in order. Each report is
// stored in its own transaction; one that another writer's transaction deadlocked with is stored again.
class ReportWriter {
 public:
  explicit ReportWriter(FleetStore& store) : store_(store), worker_([this] { write_all(); }) {}
  ~ReportWriter() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
    worker_.join();  // after storing what was queued, each report whole
  }
  ReportWriter(const ReportWriter&) = delete;
  ReportWriter& operator=(const ReportWriter&) = delete;

  // Waits while kAhead reports are queued. False once the writer failed: nothing more is taken.
  bool give(const FileEntry* file, FleetReport report) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return failure_ || queue_.size() < kAhead; });
    if (failure_) return false;
    queue_.emplace_back(file, std::move(report));
    changed_.notify_all();
    return true;
  }
  // Waits until every report given is stored; rethrows what stopped the writer.
  void finish() {
    std::unique_lock lock(mutex_);
    closed_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return failure_ || (queue_.empty() && !busy_); });
    if (failure_ && !rethrown_) {
      rethrown_ = true;
      std::rethrow_exception(failure_);
    }
  }
  std::size_t added() const { return added_; }
  std::size_t already() const { return already_; }

 private:
  static constexpr std::size_t kAhead = 4;
  static constexpr int kAttempts = 5;

  void write_all() {
    for (;;) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return closed_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto [file, report] = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      try {
        const SourceFile source{file->path, file->stamp.size, file->stamp.mtime_ns};
        for (int attempt = 1;; ++attempt) {
          try {
            (store_.ingest(report, source) == IngestOutcome::added ? added_ : already_)++;
            break;
          } catch (const ConflictError&) {
            if (attempt == kAttempts) throw;
          }
        }
        lock.lock();
      } catch (...) {
        lock.lock();
        failure_ = std::current_exception();
      }
      busy_ = false;
      changed_.notify_all();
      if (failure_) return;
    }
  }

  FleetStore& store_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<const FileEntry*, FleetReport>> queue_;
  bool closed_ = false, busy_ = false, rethrown_ = false;
  std::exception_ptr failure_;
  std::size_t added_ = 0, already_ = 0;  // the writer thread's own; read after finish()
  std::thread worker_;                   // last: it starts once everything it uses exists
};
}  // namespace

IngestSummary ingest_folders(const std::vector<FleetStore*>& stores, const std::vector<std::filesystem::path>& folders,
                             const std::function<void(std::size_t done, std::size_t total)>& progress,
                             const IngestRules& rules) {
  if (stores.empty()) throw Error("fleet ingest: no database connection");
  auto& first = *stores.front();
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
    if (first.known({f.path, f.stamp.size, f.stamp.mtime_ns})) {
      ++summary.unchanged;
    } else {
      to_read.push_back(&f);
    }
  }
  {
    // Each machine's reports go to one writer, in the files' order, so that its newest run is
    // decided by one transaction at a time; the writers store different machines side by side.
    std::vector<std::unique_ptr<ReportWriter>> writers;
    for (auto* store : stores) writers.push_back(std::make_unique<ReportWriter>(*store));
    // A reader per writer: one could not feed two writers, and two took CPU from SQLite's one.
    ReportPipeline pipeline(to_read, writers.size(), rules);
    std::size_t done = summary.unchanged;
    for (const auto* f : to_read) {
      if (progress) progress(done++, files.size());
      auto parsed = pipeline.next();
      if (auto* problem = std::get_if<std::string>(&parsed)) {
        summary.bad.emplace_back(f->path, std::move(*problem));
        continue;
      }
      auto& report = std::get<FleetReport>(parsed);
      auto& writer = *writers[std::hash<std::string>{}(report.machine) % writers.size()];
      if (!writer.give(f, std::move(report))) break;  // it failed: finish() below says why
    }
    for (auto& w : writers) w->finish();
    for (auto& w : writers) {
      summary.added += w->added();
      summary.already += w->already();
    }
  }
  if (summary.added) first.make_durable();
  if (progress) progress(files.size(), files.size());
  return summary;
}

}  // namespace drvaudit::fleet
