#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "updater/repair/repair_system.hpp"

// The Windows Update error codes people meet, in words, with the repair step that addresses each;
// and the reader of Windows 7/8's text log (%windir%\WindowsUpdate.log), where WUA's own history
// cannot be asked.
namespace drvaudit::repair {

struct ErrorExplanation {
  std::uint32_t code;
  std::string_view name;     // the constant's name, when it has one
  std::string_view meaning;  // what it means for the user
  std::string_view step;     // the repair step that addresses it ("" when none of drvaudit's does)
};

// nullptr for a code not in the table.
const ErrorExplanation* explain_update_error(std::uint32_t code);
// "0x80070002".
std::string hresult_text(std::uint32_t code);

// Errors in a WindowsUpdate.log text, newest first, at most `limit`. Lines that are not the log's
// "date time pid tid component message" shape are skipped; a WARNING/FATAL line's HRESULT counts.
std::vector<RecordedUpdateError> parse_windows_update_log(std::string_view text, std::size_t limit);

}  // namespace drvaudit::repair
