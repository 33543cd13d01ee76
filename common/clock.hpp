#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace drvaudit {

// The current time as ISO 8601 UTC with seconds, e.g. "2026-11-21T09:49:49Z".
std::string utc_now_iso8601();
// A time as ISO 8601 UTC with seconds.
std::string iso8601(std::chrono::system_clock::time_point t);
// "YYYY-MM-DDTHH:MM:SSZ", or a date alone (its first second), years 1900 to 2200; nullopt for anything
// else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace drvaudit
