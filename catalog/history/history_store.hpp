#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/history/run_record.hpp"
#include "common/sqlite.hpp"

// history.db in the state folder: every stored audit run with its devices, and the report files a
// weekly run wrote (so that pruning a run removes its reports and nothing else). A run is stored in
// one transaction: a killed drvaudit leaves the history as it was before the run or with the whole run.
namespace drvaudit::history {

inline constexpr int kDefaultKeep = 104;  // two years of weekly runs

class Store {
 public:
  explicit Store(const std::filesystem::path& file);

  // Stores the run with its devices; returns its id.
  std::int64_t add(const RunRecord& run);
  void set_exit_code(std::int64_t run, int exit_code);
  void add_report(std::int64_t run, const std::filesystem::path& file);
  // Keeps the newest `keep` runs of the machine; returns the report files of the runs it removed,
  // for the caller to delete.
  std::vector<std::filesystem::path> prune(const std::string& machine, int keep);

  // Newest first, without devices. An empty machine lists every machine's runs.
  std::vector<RunRecord> list(const std::string& machine = "") const;
  std::optional<RunRecord> get(std::int64_t id) const;  // with devices
  std::optional<RunRecord> latest(const std::string& machine = "") const;
  // The machine's run stored before `id`, with devices.
  std::optional<RunRecord> previous(std::int64_t id) const;
  // The newest run that the given trigger started ("schedule"), without devices.
  std::optional<RunRecord> latest_by_trigger(const std::string& trigger) const;
  std::vector<std::filesystem::path> reports(std::int64_t run) const;

 private:
  std::optional<RunRecord> one(const std::string& where, std::int64_t arg, const std::string& text_arg = "",
                               bool with_devices = true) const;
  mutable sqlite::Database db_;
};

}  // namespace drvaudit::history
