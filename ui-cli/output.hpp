#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace drvaudit {

// Writes a command's result to stdout, or atomically to a file when one is named.
void write_output(const std::optional<std::filesystem::path>& file, std::string_view content);

}  // namespace drvaudit
