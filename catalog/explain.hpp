#pragma once

#include <string>

#include "catalog/audit.hpp"

namespace drvaudit::audit {

// Every candidate considered, the rank parts, which device ID matched which INF ID at which
// positions, and the date/version comparison, in plain words.
// Text for a terminal: every string from a device, an INF, a snapshot or a path is escaped
// (text::escape_control), so the only line breaks are the explanation's own.
std::string explain(const DeviceAudit& audit);

// "device compatible ID #1 'PCI\VEN_8086&DEV_9A49' = the INF's hardware ID (0x2001)"
std::string describe_match(const rank::IdentifierMatch& match);

}  // namespace drvaudit::audit
