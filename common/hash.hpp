#pragma once

#include <filesystem>
#include <string>
#include <string_view>

// SHA-256 through libsodium, as lower-case hex.
namespace drvaudit::hash {

std::string sha256_hex(std::string_view bytes);
// Streams the file; throws drvaudit::Error when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace drvaudit::hash
