#pragma once

#include <string>
#include <vector>

#include "catalog/audit.hpp"
#include "scanner/inventory.hpp"

// The audit as the user reads it: a table, JSON (drvaudit-audit/1) and CSV.
namespace drvaudit::render {

struct AuditReport {
  MachineInfo machine;
  std::string target;  // the Windows the catalog was evaluated for
  std::vector<audit::DeviceAudit> devices;
};

std::string audit_table(const AuditReport& report, int width);
std::string audit_json(const AuditReport& report);
std::string audit_csv(const AuditReport& report, bool excel);

}  // namespace drvaudit::render
