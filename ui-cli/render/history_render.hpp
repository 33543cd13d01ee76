#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/history/run_diff.hpp"
#include "catalog/history/run_record.hpp"
#include "ui-cli/render/table.hpp"

// The history as the user reads it: the stored runs (drvaudit-history-runs/1), one run's devices
// (drvaudit-history-run/1) and what changed between two runs (drvaudit-history-diff/1), each as a
// table, JSON and CSV.
namespace drvaudit::render {

std::string runs_table(const std::vector<history::RunRecord>& runs, const table::Layout& layout);
std::string runs_json(const std::vector<history::RunRecord>& runs);
std::string runs_csv(const std::vector<history::RunRecord>& runs);

std::string run_table(const history::RunRecord& run, const table::Layout& layout);
std::string run_json(const history::RunRecord& run);
std::string run_csv(const history::RunRecord& run);

std::string diff_table(const history::RunDiff& diff, const std::string& machine, const table::Layout& layout);
nlohmann::ordered_json diff_document(const history::RunDiff& diff, const std::string& machine);
std::string diff_json(const history::RunDiff& diff, const std::string& machine);
std::string diff_csv(const history::RunDiff& diff, const std::string& machine);

// "update_available" → "update available"
std::string words_of(std::string name);

}  // namespace drvaudit::render
