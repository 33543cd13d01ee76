#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "fleet/fleet_report.hpp"
#include "fleet/fleet_store.hpp"

// `fleet ingest`: every report below the folders given (*.json), each checked and stored in its own
// transaction. A file seen before with the same size and mtime is not read again; a bad or partial
// file is reported with its path and skipped, never half-stored.
namespace drvaudit::fleet {

struct IngestSummary {
  std::size_t files = 0;      // *.json files found
  std::size_t added = 0;      // reports stored now
  std::size_t already = 0;    // reports stored before (read again: another path, or the file changed)
  std::size_t unchanged = 0;  // files not read: stored before with this size and mtime
  std::vector<std::pair<std::string, std::string>> bad;  // path, what is wrong
};

// What a report must pass beyond its schema (docs/security.md): its size, its machine's folder, its time.
struct IngestRules {
  std::uint64_t max_report_size = kDefaultMaxReportSize;
  // A share gives every machine a folder of its own (SHARE/MACHINE/…), which only that machine can
  // write: a report whose machine is not the name of the folder it sits in is refused, so that one
  // machine cannot write another's history.
  bool machine_must_match_folder = true;
  // recorded_at may be at most this far ahead of the ingesting machine's clock.
  std::chrono::seconds max_future_skew{3600};
};

// Each store is one writer (its own connection): several store different machines' reports at once.
// The first also answers which files were read before, and makes the result durable at the end.
IngestSummary ingest_folders(const std::vector<FleetStore*>& stores, const std::vector<std::filesystem::path>& folders,
                             const std::function<void(std::size_t done, std::size_t total)>& progress = {},
                             const IngestRules& rules = {});

}  // namespace drvaudit::fleet
