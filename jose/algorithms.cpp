#include "jose/algorithms.hpp"

#include <array>

namespace varco::jose {
namespace {

constexpr std::array<signature_algorithm, 9> signatures = {{
    {"RS256", signature_family::rsa_pkcs1, EVP_sha256, {}, 0},
    {"RS384", signature_family::rsa_pkcs1, EVP_sha384, {}, 0},
    {"RS512", signature_family::rsa_pkcs1, EVP_sha512, {}, 0},
    {"PS256", signature_family::rsa_pss, EVP_sha256, {}, 0},
    {"PS384", signature_family::rsa_pss, EVP_sha384, {}, 0},
    {"PS512", signature_family::rsa_pss, EVP_sha512, {}, 0},
    {"ES256", signature_family::ecdsa, EVP_sha256, "prime256v1", 32},
    {"ES384", signature_family::ecdsa, EVP_sha384, "secp384r1", 48},
    {"ES512", signature_family::ecdsa, EVP_sha512, "secp521r1", 66},
}};

constexpr std::array<key_encryption_algorithm, 2> key_encryptions = {{
    {"RSA-OAEP", EVP_sha1},
    {"RSA-OAEP-256", EVP_sha256},
}};

constexpr std::array<content_encryption_algorithm, 4> content_encryptions = {{
    {"A128CBC-HS256", content_family::aes_cbc_hmac, 32, 16, 16, EVP_aes_128_cbc, EVP_sha256},
    {"A256CBC-HS512", content_family::aes_cbc_hmac, 64, 16, 32, EVP_aes_256_cbc, EVP_sha512},
    {"A128GCM", content_family::aes_gcm, 16, 12, 16, EVP_aes_128_gcm, nullptr},
    {"A256GCM", content_family::aes_gcm, 32, 12, 16, EVP_aes_256_gcm, nullptr},
}};

template <class Table>
auto find(const Table& table, std::string_view name) noexcept -> decltype(&table[0]) {
  for (const auto& entry : table)
    if (entry.name == name) return &entry;
  return nullptr;
}

}  // namespace

std::span<const signature_algorithm> signature_algorithms() noexcept { return signatures; }
const signature_algorithm* find_signature_algorithm(std::string_view name) noexcept {
  return find(signatures, name);
}

std::span<const key_encryption_algorithm> key_encryption_algorithms() noexcept {
  return key_encryptions;
}
const key_encryption_algorithm* find_key_encryption_algorithm(std::string_view name) noexcept {
  return find(key_encryptions, name);
}

std::span<const content_encryption_algorithm> content_encryption_algorithms() noexcept {
  return content_encryptions;
}
const content_encryption_algorithm* find_content_encryption_algorithm(
    std::string_view name) noexcept {
  return find(content_encryptions, name);
}

bool is_hmac_algorithm(std::string_view name) noexcept {
  return name == "HS256" || name == "HS384" || name == "HS512";
}

}  // namespace varco::jose
