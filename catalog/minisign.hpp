#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"

// minisign signatures (Ed25519, libsodium), the format feeds are signed in: a public key is
// "Ed" + key id (8 bytes) + key (32 bytes) in base64; a signature file holds an untrusted comment,
// "Ed"/"ED" + key id + signature (ED: the signature is over the BLAKE2b-512 hash of the file), a
// trusted comment, and a global signature over the signature and the trusted comment.
namespace drvaudit::minisign {

class SignatureError : public Error {
 public:
  using Error::Error;
};

struct PublicKey {
  std::array<std::uint8_t, 8> key_id{};
  std::array<std::uint8_t, 32> key{};
  std::string key_id_hex() const;  // as minisign prints it
};

// Accepts the base64 line alone or a whole .pub file. Throws SignatureError.
PublicKey parse_public_key(std::string_view text);

// Verifies message against the contents of a .minisig file; returns the trusted comment. Throws
// SignatureError saying what is wrong: malformed, made with another key, or not matching.
std::string verify(std::string_view message, std::string_view signature_file, const PublicKey& key);

}  // namespace drvaudit::minisign
