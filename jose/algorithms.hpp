// The JWS and JWE algorithms varco knows (RFC 7518), as an allow-list: a name not in these
// tables is refused before any key is touched. HMAC and "none" are not in them at all.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <span>
#include <string_view>

namespace varco::jose {

enum class signature_family { rsa_pkcs1, rsa_pss, ecdsa };

struct signature_algorithm {
  std::string_view name;  // "RS256"
  signature_family family;
  const EVP_MD* (*digest)();
  std::string_view curve;      // ecdsa: OpenSSL's group name ("prime256v1"), else empty
  std::size_t coordinate = 0;  // ecdsa: bytes of r and of s in the JWS signature
};

// RS256/384/512, PS256/384/512, ES256/384/512.
std::span<const signature_algorithm> signature_algorithms() noexcept;
const signature_algorithm* find_signature_algorithm(std::string_view name) noexcept;

struct key_encryption_algorithm {
  std::string_view name;           // "RSA-OAEP-256"
  const EVP_MD* (*oaep_digest)();  // also MGF1's
};

// RSA-OAEP and RSA-OAEP-256 (RSA1_5 is left out: Bleichenbacher's oracle).
std::span<const key_encryption_algorithm> key_encryption_algorithms() noexcept;
const key_encryption_algorithm* find_key_encryption_algorithm(std::string_view name) noexcept;

enum class content_family { aes_cbc_hmac, aes_gcm };

struct content_encryption_algorithm {
  std::string_view name;  // "A128CBC-HS256"
  content_family family;
  std::size_t key_bytes;  // the whole CEK (for CBC-HMAC: MAC key then encryption key)
  std::size_t iv_bytes;
  std::size_t tag_bytes;
  const EVP_CIPHER* (*cipher)();
  const EVP_MD* (*mac_digest)();  // aes_cbc_hmac only
};

// A128CBC-HS256, A256CBC-HS512, A128GCM, A256GCM.
std::span<const content_encryption_algorithm> content_encryption_algorithms() noexcept;
const content_encryption_algorithm* find_content_encryption_algorithm(
    std::string_view name) noexcept;

// "HS256", "HS384", "HS512": named so the refusal says what was tried.
bool is_hmac_algorithm(std::string_view name) noexcept;

}  // namespace varco::jose
