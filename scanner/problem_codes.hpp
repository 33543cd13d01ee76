#pragma once

#include <cstdint>
#include <string>

// Device Manager's words for the Windows CM_PROB_* problem codes ("Code 28: …"), so that a
// problem reads the same in drvaudit as in the device's Properties dialog.
namespace drvaudit::problem_codes {

struct Text {
  const char* brief;    // a few words for a table cell: "drivers not installed"
  const char* message;  // Device Manager's sentence
};

// nullptr members for a code Device Manager has no text for.
Text text_of(std::uint32_t code);

// "Code 28: drivers not installed" ("Code 99: problem" for an unknown code).
std::string brief(std::uint32_t code);
// "Code 28: The drivers for this device are not installed."
std::string message(std::uint32_t code);

// Whether the problem asks the user to act. A device the user disabled (22) or one that is not
// connected now (45) is not a fault.
bool needs_attention(std::uint32_t code);

}  // namespace drvaudit::problem_codes
