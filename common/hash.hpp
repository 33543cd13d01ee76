#pragma once

#include <array>
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

// SHA-256 fed piece by piece (a file hashed while it is copied, so the digest is of the bytes written).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex();  // once, at the end

 private:
  alignas(16) std::array<unsigned char, 128> state_{};  // libsodium's crypto_hash_sha256_state
};

}  // namespace drvaudit::hash
