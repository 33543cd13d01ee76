#pragma once

#include <string>

#include <nlohmann/json.hpp>

// JSON text for every command's output. Strings are bytes: paths come from the file system, where
// a name need not be UTF-8 (a folder named with byte 0xFF), and JSON text must be. A string member
// that is not valid UTF-8 is written with U+FFFD for each invalid byte, and its exact bytes follow
// in a sibling member "<name>_hex" (lowercase hexadecimal), so nothing is lost and every JSON reader
// can parse the output (docs/output-formats.md). Strings in arrays get the U+FFFD text only.
namespace drvaudit::render {

// Indented for people; compact for files that machines read by the thousand (weekly reports: a
// third smaller on a share).
enum class JsonLayout { indented, compact };
std::string json_text(nlohmann::ordered_json document, JsonLayout layout = JsonLayout::indented);

}  // namespace drvaudit::render
