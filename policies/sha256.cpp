#include "policies/sha256.hpp"

#include <openssl/evp.h>

#include <cassert>

namespace varco::policies {

sha256_digest sha256(std::string_view bytes) {
  sha256_digest out{};
  unsigned int size = 0;
  const int ok = EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr);
  // Only allocation failure inside OpenSSL can make a SHA-256 fail.
  assert(ok == 1 && size == out.size());
  (void)ok;
  return out;
}

}  // namespace varco::policies
