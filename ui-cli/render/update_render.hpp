#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ui-cli/render/table.hpp"
#include "updater/journal.hpp"
#include "updater/runner.hpp"
#include "updater/update_plan.hpp"
#include "updater/update_session.hpp"

// The update plan, its outcome and the journal, as tables and JSON (data/drvaudit-update-1,
// drvaudit-journal-1 and drvaudit-operation-1 schemas).
namespace drvaudit::render {

struct UpdateReport {
  std::string machine;
  std::string mode;  // install, stage, from-stage
  bool dry_run = false;
  const updater::UpdatePlan* plan = nullptr;                        // nullopt for --from-stage
  const std::vector<updater::PreparedPackage>* packages = nullptr;  // after fetching; nullptr in a dry run
  std::vector<updater::PlannedStep> steps;
  std::optional<updater::OperationRecord> operation;  // after the run
  std::optional<updater::RunResult> result;
  std::string stage_dir;
};

std::string update_table(const UpdateReport& report, const table::Layout& layout);
std::string update_json(const UpdateReport& report);

std::string journal_list_table(const std::vector<updater::OperationRecord>& ops, const table::Layout& layout);
std::string journal_list_json(const std::vector<updater::OperationRecord>& ops);
std::string operation_table(const updater::OperationRecord& op, const table::Layout& layout);
std::string operation_json(const updater::OperationRecord& op);

}  // namespace drvaudit::render
