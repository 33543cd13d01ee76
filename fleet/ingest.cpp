#include "fleet/ingest.hpp"

#include "common/error.hpp"
#include "common/file_walk.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"

namespace drvaudit::fleet {

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
  std::size_t done = 0;
  for (const auto& f : files) {
    const SourceFile source{f.path, f.stamp.size, f.stamp.mtime_ns};
    if (progress) progress(done++, files.size());
    if (store.known(source)) {
      ++summary.unchanged;
      continue;
    }
    FleetReport report;
    try {
      report = read_report(read_whole_file(f.path));
    } catch (const Error& e) {
      summary.bad.emplace_back(f.path, e.what());
      continue;
    }
    if (store.ingest(report, source) == IngestOutcome::added) {
      ++summary.added;
    } else {
      ++summary.already;
    }
  }
  if (progress) progress(files.size(), files.size());
  return summary;
}

}  // namespace drvaudit::fleet
