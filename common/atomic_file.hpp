#pragma once

#include <filesystem>
#include <string_view>

namespace drvaudit {

// Writes content to a temporary file in the target's folder, flushes it and renames it over the
// target: readers see the old file or the new one, never a partial one. Throws drvaudit::Error.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

}  // namespace drvaudit
