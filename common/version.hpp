#pragma once

// The drvaudit version every report carries (tool_version), so reports from many machines and
// releases can be told apart once they are put together.
namespace drvaudit {

inline constexpr const char* kToolVersion = DRVAUDIT_VERSION;

}  // namespace drvaudit
