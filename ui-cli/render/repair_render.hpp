#pragma once

#include <string>

#include "ui-cli/render/table.hpp"
#include "updater/repair/diagnosis.hpp"
#include "updater/repair/repair_plan.hpp"

// `repair diagnose` as a table and as JSON (data/repair-diagnosis.schema.json), and a repair plan
// as the numbered list the dry run and the confirmation show.
namespace drvaudit::render {

std::string diagnosis_table(const repair::Diagnosis& d, const std::string& machine, const table::Layout& layout);
std::string diagnosis_json(const repair::Diagnosis& d, const std::string& machine);
std::string repair_plan_text(const repair::RepairPlan& plan, const std::vector<std::string>& names);

}  // namespace drvaudit::render
