#include "base/sha256.hpp"

#include "base/hex.hpp"
#include "base/openssl_handles.hpp"

#include <cstdlib>

namespace varco::base {

sha256_digest sha256(std::string_view bytes) {
  // Runs on every request (the session key): the algorithm is fetched once and each thread reuses
  // one context (EVP_Digest with EVP_sha256() looks the provider up and allocates a context per
  // call, which profiled as the largest user-space cost of a proxied request).
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const openssl_ptr<EVP_MD_CTX> context{EVP_MD_CTX_new()};
  sha256_digest digest{};
  unsigned int size = 0;
  if (algorithm == nullptr || !context ||
      EVP_DigestInit_ex2(context.get(), algorithm, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &size) != 1 || size != digest.size()) {
    std::abort();  // broken invariant: SHA-256 is always available in OpenSSL 3
  }
  return digest;
}

std::string sha256_hex(std::string_view bytes) { return hex(sha256(bytes)); }

}  // namespace varco::base
