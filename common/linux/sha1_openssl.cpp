#include <openssl/evp.h>

#include "common/error.hpp"
#include "common/hash.hpp"

namespace drvaudit::hash {

std::string sha1_digest(std::string_view bytes) {
  std::string digest(20, '\0');
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &size, EVP_sha1(),
                 nullptr) != 1 ||
      size != digest.size())
    throw Error("SHA-1: OpenSSL's digest failed");
  return digest;
}

}  // namespace drvaudit::hash
