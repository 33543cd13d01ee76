#pragma once

namespace drvaudit {

// Whether this process may change the system: an elevated token on Windows, root on Linux.
// Commands that install or repair check it up front (exit code 4).
bool is_administrator();

}  // namespace drvaudit
