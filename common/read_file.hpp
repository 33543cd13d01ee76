#pragma once

#include <filesystem>
#include <string>

namespace drvaudit {

// The whole file, as bytes. Throws drvaudit::Error "cannot read FILE" when it cannot be opened.
std::string read_whole_file(const std::filesystem::path& file);

}  // namespace drvaudit
