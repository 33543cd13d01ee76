#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/machine_audit.hpp"
#include "ui-cli/render/table.hpp"

// The audit as the user reads it: a table, JSON (drvaudit-audit/3, or drvaudit-audits/1 for
// several machines) and CSV. Several machines make one table and one CSV with a machine column.
namespace drvaudit::render {

using AuditReport = audit::MachineAudit;

std::string audit_table(const std::vector<AuditReport>& reports, const table::Layout& layout);
std::string audit_json(const std::vector<AuditReport>& reports);
// One machine's drvaudit-audit/3 document, for reports that embed it.
nlohmann::ordered_json audit_document(const AuditReport& report);
// Devices per verdict name (every verdict present, zero included), and how many need attention.
std::map<std::string, std::size_t> verdict_counts(const AuditReport& report);
std::size_t attention_count(const AuditReport& report);
std::string audit_csv(const std::vector<AuditReport>& reports, bool excel);

// "update available", or Device Manager's words for a problem nothing can fix ("Code 28: drivers
// not installed"), with the colour a terminal shows it in.
table::Cell verdict_cell(const audit::DeviceAudit& a);

}  // namespace drvaudit::render
