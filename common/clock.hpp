#pragma once

#include <string>

namespace drvaudit {

// The current time as ISO 8601 UTC with seconds, e.g. "2026-11-21T09:49:49Z".
std::string utc_now_iso8601();

}  // namespace drvaudit
