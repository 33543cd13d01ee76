#include "catalog/minisign.hpp"

#include <sodium.h>

#include <vector>

#include "common/text.hpp"

namespace drvaudit::minisign {

namespace {
std::vector<std::uint8_t> base64(std::string_view text, const char* what) {
  if (sodium_init() < 0) throw SignatureError("libsodium could not be initialised");
  // Never hand libsodium an empty buffer: its pointer arguments must not be null (found by fuzzing).
  if (text.empty()) throw SignatureError(std::string(what) + " is empty");
  std::vector<std::uint8_t> out(text.size());
  std::size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    throw SignatureError(std::string(what) + " is not valid base64");
  }
  out.resize(length);
  return out;
}

// The non-comment lines of a minisign file.
std::vector<std::string_view> content_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (auto line : text::split(text, '\n')) {
    line = text::trim(line);
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}
}  // namespace

std::string PublicKey::key_id_hex() const {
  // minisign prints the 8 key-id bytes as a little-endian 64-bit number in hex.
  std::string out;
  for (std::size_t i = key_id.size(); i-- > 0;) out += text::hex(key_id[i], 2);
  return out;
}

PublicKey parse_public_key(std::string_view input) {
  std::string_view line;
  for (auto l : content_lines(input)) {
    if (!text::istarts_with(l, "untrusted comment:")) {
      line = l;
      break;
    }
  }
  const auto raw = base64(line, "the public key");
  if (raw.size() != 2 + 8 + 32 || raw[0] != 'E' || raw[1] != 'd') {
    throw SignatureError("not a minisign Ed25519 public key (expected 42 bytes starting with \"Ed\")");
  }
  PublicKey key;
  std::copy(raw.begin() + 2, raw.begin() + 10, key.key_id.begin());
  std::copy(raw.begin() + 10, raw.end(), key.key.begin());
  return key;
}

std::string verify(std::string_view message, std::string_view signature_file, const PublicKey& key) {
  const auto lines = content_lines(signature_file);
  if (lines.size() != 4 || !text::istarts_with(lines[0], "untrusted comment:") ||
      !text::istarts_with(lines[2], "trusted comment:")) {
    throw SignatureError(
        "malformed signature file (expected an untrusted comment, a signature, a trusted comment and a global "
        "signature)");
  }
  const auto sig = base64(lines[1], "the signature");
  if (sig.size() != 2 + 8 + 64 || sig[0] != 'E' || (sig[1] != 'd' && sig[1] != 'D')) {
    throw SignatureError("malformed signature (expected 74 bytes starting with \"Ed\" or \"ED\")");
  }
  if (!std::equal(key.key_id.begin(), key.key_id.end(), sig.begin() + 2)) {
    PublicKey signer;
    std::copy(sig.begin() + 2, sig.begin() + 10, signer.key_id.begin());
    throw SignatureError("signed with key " + signer.key_id_hex() + ", but the source trusts key " + key.key_id_hex());
  }
  const unsigned char* signature = sig.data() + 10;
  int ok;
  if (sig[1] == 'D') {  // prehashed: Ed25519 over BLAKE2b-512 of the message
    std::array<unsigned char, crypto_generichash_BYTES_MAX> hash{};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       nullptr, 0);
    ok = crypto_sign_verify_detached(signature, hash.data(), hash.size(), key.key.data());
  } else {
    ok = crypto_sign_verify_detached(signature, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     key.key.data());
  }
  if (ok != 0) throw SignatureError("the signature does not match the file (changed or truncated in transit?)");

  const std::string_view trusted = lines[2].substr(std::string_view("trusted comment:").size());
  const std::string_view trusted_text = text::trim(trusted);
  const auto global = base64(lines[3], "the global signature");
  if (global.size() != 64) throw SignatureError("malformed global signature");
  std::vector<unsigned char> signed_part(signature, signature + 64);
  signed_part.insert(signed_part.end(), trusted_text.begin(), trusted_text.end());
  if (crypto_sign_verify_detached(global.data(), signed_part.data(), signed_part.size(), key.key.data()) != 0) {
    throw SignatureError("the trusted comment does not match its signature");
  }
  return std::string(trusted_text);
}

}  // namespace drvaudit::minisign
