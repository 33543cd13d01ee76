#pragma once

#include <filesystem>
#include <string>
#include <string_view>

// SHA-256 through libsodium, as lower-case hex; SHA-1 (which libsodium lacks, and catalogs of
// driver packages still use) from the platform: OpenSSL's libcrypto on Linux, CNG on Windows.
namespace drvaudit::hash {

// Raw digests (32 and 20 bytes), for comparing with the digests stored in signed catalogs.
std::string sha256_digest(std::string_view bytes);
std::string sha1_digest(std::string_view bytes);

std::string sha256_hex(std::string_view bytes);
// Streams the file; throws drvaudit::Error when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace drvaudit::hash
