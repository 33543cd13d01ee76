#pragma once

#include <string>
#include <vector>

#include "catalog/machine_audit.hpp"

// The audit as the user reads it: a table, JSON (drvaudit-audit/1) and CSV.
namespace drvaudit::render {

using AuditReport = audit::MachineAudit;

std::string audit_table(const AuditReport& report, int width);
std::string audit_json(const AuditReport& report);
std::string audit_csv(const AuditReport& report, bool excel);

}  // namespace drvaudit::render
