#include "jose/jwe.hpp"

#include "jose/algorithms.hpp"

#include <openssl/crypto.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace varco::jose {
namespace {

const auto* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

template <class T>
bool allowed(const std::vector<std::string>& list, const T* found, std::string_view name) {
  return found != nullptr &&
         (list.empty() || std::find(list.begin(), list.end(), name) != list.end());
}

// The content key, unwrapped with RSA-OAEP; empty when this key does not open it.
std::string unwrap(const key_encryption_algorithm& alg, EVP_PKEY* key, std::string_view wrapped) {
  base::openssl_ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  std::size_t length = 0;
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), alg.oaep_digest()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), alg.oaep_digest()) != 1 ||
      EVP_PKEY_decrypt(ctx.get(), nullptr, &length, bytes(wrapped), wrapped.size()) != 1) {
    return {};
  }
  std::string cek(length, '\0');
  if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(cek.data()), &length,
                       bytes(wrapped), wrapped.size()) != 1) {
    return {};
  }
  cek.resize(length);
  return cek;
}

// RFC 7518 §5.2.2.2: the tag is the first half of HMAC(MAC_KEY, AAD || IV || C || AL), checked in
// constant time before anything is decrypted.
bool cbc_hmac_tag_matches(const content_encryption_algorithm& enc, std::string_view mac_key,
                          std::string_view aad, const jwe_parts& parts) {
  std::string input;
  input.reserve(aad.size() + parts.iv.size() + parts.ciphertext.size() + 8);
  input.append(aad).append(parts.iv).append(parts.ciphertext);
  const std::uint64_t aad_bits = static_cast<std::uint64_t>(aad.size()) * 8;
  for (int shift = 56; shift >= 0; shift -= 8) input += static_cast<char>(aad_bits >> shift);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t mac_length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, EVP_MD_get0_name(enc.mac_digest()), nullptr,
                mac_key.data(), mac_key.size(), bytes(input), input.size(), mac.data(), mac.size(),
                &mac_length) == nullptr ||
      mac_length < enc.tag_bytes) {
    return false;
  }
  return CRYPTO_memcmp(mac.data(), parts.tag.data(), enc.tag_bytes) == 0;
}

bool decrypt_content(const content_encryption_algorithm& enc, std::string_view cek,
                     std::string_view aad, const jwe_parts& parts, std::string& plaintext) {
  if (cek.size() != enc.key_bytes || parts.iv.size() != enc.iv_bytes ||
      parts.tag.size() != enc.tag_bytes) {
    return false;
  }
  std::string_view key = cek;
  if (enc.family == content_family::aes_cbc_hmac) {
    const std::size_t half = cek.size() / 2;
    if (!cbc_hmac_tag_matches(enc, cek.substr(0, half), aad, parts)) return false;
    key = cek.substr(half);
  }
  base::openssl_ptr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), enc.cipher(), nullptr, bytes(key), bytes(parts.iv)) != 1)
    return false;
  int length = 0;
  if (enc.family == content_family::aes_gcm &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(aad), static_cast<int>(aad.size())) !=
          1) {
    return false;
  }
  plaintext.assign(parts.ciphertext.size() + 32, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  if (EVP_DecryptUpdate(ctx.get(), out, &length, bytes(parts.ciphertext),
                        static_cast<int>(parts.ciphertext.size())) != 1) {
    return false;
  }
  std::size_t total = static_cast<std::size_t>(length);
  if (enc.family == content_family::aes_gcm &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(parts.tag.size()),
                          const_cast<char*>(parts.tag.data())) != 1) {
    return false;
  }
  if (EVP_DecryptFinal_ex(ctx.get(), out + total, &length) != 1) return false;
  plaintext.resize(total + static_cast<std::size_t>(length));
  return true;
}

}  // namespace

outcome<decrypted_jwe> decrypt_jwe(std::string_view token, std::span<const decryption_key> keys,
                                   const jwe_policy& policy) {
  base::openssl_error_scope errors;
  auto parts = split_jwe(token, policy.size);
  if (!parts) return parts.error();
  auto alg_name = string_member(parts->header, "alg");
  if (!alg_name) return alg_name.error();
  const key_encryption_algorithm* alg = find_key_encryption_algorithm(**alg_name);
  if (!allowed(policy.algorithms, alg, **alg_name))
    return failure{reason::alg_forbidden, std::string(alg_name->value().substr(0, 32))};
  auto enc_name = string_member(parts->header, "enc");
  if (!enc_name) return enc_name.error();
  if (!*enc_name) return failure{reason::header_malformed, "no enc"};
  const content_encryption_algorithm* enc = find_content_encryption_algorithm(**enc_name);
  if (!allowed(policy.encryptions, enc, **enc_name))
    return failure{reason::enc_forbidden, std::string(enc_name->value().substr(0, 32))};
  auto kid = string_member(parts->header, "kid");
  if (!kid) return kid.error();

  bool kid_known = false;
  for (const auto& candidate : keys) {
    if (*kid && candidate.kid != **kid) continue;
    kid_known = true;
    if (EVP_PKEY_is_a(candidate.key.get(), "RSA") != 1)
      return failure{reason::key_mismatch, "not an RSA key"};
    const std::string cek = unwrap(*alg, candidate.key.get(), parts->encrypted_key);
    decrypted_jwe out;
    if (cek.empty() ||
        !decrypt_content(*enc, cek, parts->protected_header, *parts, out.plaintext)) {
      continue;
    }
    out.header = std::move(parts->header);
    out.kid = candidate.kid;
    return out;
  }
  if (*kid && !kid_known)
    return failure{reason::kid_unknown, std::string(kid->value().substr(0, 64))};
  return failure{reason::decryption_failed, std::string(alg->name) + " " + std::string(enc->name)};
}

}  // namespace varco::jose
