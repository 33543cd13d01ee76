#include <windows.h>

#include <bcrypt.h>

#include "common/error.hpp"
#include "common/hash.hpp"

namespace drvaudit::hash {

std::string sha1_digest(std::string_view bytes) {
  std::string digest(20, '\0');
  // BCryptHash (Windows 10) would be one call; the algorithm-handle form also runs on Windows 7.
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA1_ALGORITHM, nullptr, 0)))
    throw Error("SHA-1: the CNG provider is not available");
  struct Closer {
    BCRYPT_ALG_HANDLE a;
    ~Closer() { BCryptCloseAlgorithmProvider(a, 0); }
  } close_algorithm{algorithm};
  BCRYPT_HASH_HANDLE h = nullptr;
  if (!BCRYPT_SUCCESS(BCryptCreateHash(algorithm, &h, nullptr, 0, nullptr, 0, 0)))
    throw Error("SHA-1: CreateHash failed");
  struct HashCloser {
    BCRYPT_HASH_HANDLE h;
    ~HashCloser() { BCryptDestroyHash(h); }
  } close_hash{h};
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto chunk = static_cast<ULONG>(std::min<std::size_t>(bytes.size() - done, 1u << 30));
    if (!BCRYPT_SUCCESS(BCryptHashData(h, reinterpret_cast<PUCHAR>(const_cast<char*>(bytes.data() + done)), chunk, 0)))
      throw Error("SHA-1: HashData failed");
    done += chunk;
  }
  if (!BCRYPT_SUCCESS(BCryptFinishHash(h, reinterpret_cast<PUCHAR>(digest.data()), 20, 0)))
    throw Error("SHA-1: FinishHash failed");
  return digest;
}

}  // namespace drvaudit::hash
