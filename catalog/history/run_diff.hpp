#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/history/run_record.hpp"

// What changed between two audits of one machine, device by device (matched by instance ID): what
// IT staff read each week. A regression is a driver that went backwards or a new problem code.
namespace drvaudit::history {

enum class ChangeKind {
  device_added,
  device_removed,
  driver_upgraded,
  driver_downgraded,
  driver_changed,  // provider or INF changed, or a version that cannot be ordered, or installed/removed
  problem_appeared,
  problem_changed,
  problem_cleared,
  update_appeared,
  update_disappeared,
  verdict_changed,
};
std::string_view change_kind_name(ChangeKind k);

struct Change {
  ChangeKind kind;
  std::string instance_id;
  std::string description;
  std::string before, after;  // in words: versions, problem codes, verdicts
  bool regression = false;
};

struct RunDiff {
  std::int64_t from_run = 0, to_run = 0;  // 0: not stored (an audit compared with the history)
  std::string from_at, to_at;
  std::vector<Change> changes;  // by kind, then instance ID
  std::size_t regressions() const;
};

RunDiff diff_runs(const RunRecord& from, const RunRecord& to);

// Orders versions as people read them: numeric runs by value ("6.1.0-13" > "6.1.0-9"), the rest
// byte by byte. Returns <0, 0 or >0.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace drvaudit::history
