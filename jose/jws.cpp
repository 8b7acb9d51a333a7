#include "jose/jws.hpp"

#include "base/base64.hpp"
#include "jose/algorithms.hpp"
#include "jose/ecdsa.hpp"

#include <boost/json/serialize.hpp>
#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace varco::jose {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

outcome<const signature_algorithm*> allowed_algorithm(std::string_view alg,
                                                      const jws_policy& policy) {
  if (alg == "none") return failure{reason::alg_none, "alg none"};
  if (is_hmac_algorithm(alg)) return failure{reason::alg_hmac, std::string(alg)};
  const signature_algorithm* found = find_signature_algorithm(alg);
  if (found == nullptr ||
      (!policy.algorithms.empty() && std::find(policy.algorithms.begin(), policy.algorithms.end(),
                                               alg) == policy.algorithms.end())) {
    return failure{reason::alg_forbidden, std::string(alg).substr(0, 32)};
  }
  return found;
}

// The key's type (and curve) and size fit the algorithm.
outcome<void> key_type_fits(const EVP_PKEY* key, const signature_algorithm& alg) {
  if (alg.family == signature_family::ecdsa) {
    std::array<char, 64> group{};
    if (EVP_PKEY_is_a(key, "EC") != 1 ||
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                       nullptr) != 1 ||
        alg.curve != group.data()) {
      return failure{reason::key_mismatch,
                     "not an EC key on the curve of " + std::string(alg.name)};
    }
    return {};
  }
  if (EVP_PKEY_is_a(key, "RSA") != 1) return failure{reason::key_mismatch, "not an RSA key"};
  if (EVP_PKEY_get_bits(key) < min_rsa_bits) return failure{reason::key_too_weak, {}};
  return {};
}

// ... and so do its declared use and alg.
outcome<void> key_fits(const jwk& key, const signature_algorithm& alg) {
  if (!key.use.empty() && key.use != "sig") return failure{reason::key_mismatch, "use " + key.use};
  if (!key.alg.empty() && key.alg != alg.name)
    return failure{reason::key_mismatch, "alg " + key.alg};
  return key_type_fits(key.key.get(), alg);
}

outcome<const jwk*> select_key(const jwk_set& keys, std::optional<std::string_view> kid,
                               const jws_policy& policy) {
  if (kid) {
    const jwk* found = keys.find(*kid);
    if (found == nullptr) return failure{reason::kid_unknown, std::string(kid->substr(0, 64))};
    return found;
  }
  if (policy.require_kid || keys.keys().size() != 1) return failure{reason::kid_missing, {}};
  return &keys.keys().front();
}

// Digest-sign/verify set up for the algorithm: PSS with a salt as long as the digest (RFC 7518
// §3.5) and MGF1 over the same digest.
bool init_context(EVP_MD_CTX* ctx, const signature_algorithm& alg, const EVP_PKEY* key,
                  bool signing) {
  EVP_PKEY_CTX* pctx = nullptr;
  auto* k = const_cast<EVP_PKEY*>(key);  // OpenSSL's signatures are not const-correct
  const int rc = signing ? EVP_DigestSignInit(ctx, &pctx, alg.digest(), nullptr, k)
                         : EVP_DigestVerifyInit(ctx, &pctx, alg.digest(), nullptr, k);
  if (rc != 1) return false;
  if (alg.family != signature_family::rsa_pss) return true;
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, alg.digest()) == 1;
}

}  // namespace

outcome<verified_jws> verify_jws(std::string_view token, const jwk_set& keys,
                                 const jws_policy& policy) {
  base::openssl_error_scope errors;
  auto parts = split_jws(token, policy.size);
  if (!parts) return parts.error();
  auto alg_name = string_member(parts->header, "alg");
  if (!alg_name) return alg_name.error();
  auto alg = allowed_algorithm(**alg_name, policy);
  if (!alg) return alg.error();
  if (!policy.expected_typ.empty()) {
    auto typ = string_member(parts->header, "typ");
    if (!typ) return typ.error();
    if (!*typ || !equals_ignoring_case(**typ, policy.expected_typ))
      return failure{reason::header_malformed, "typ is not " + policy.expected_typ};
  }
  auto kid = string_member(parts->header, "kid");
  if (!kid) return kid.error();
  auto key = select_key(keys, *kid, policy);
  if (!key) return key.error();
  if (auto fits = key_fits(**key, **alg); !fits) return fits.error();

  std::string der;
  std::string_view signature = parts->signature;
  if ((*alg)->family == signature_family::ecdsa) {
    der = ecdsa_jws_to_der(signature, (*alg)->coordinate);
    if (der.empty()) return failure{reason::signature_invalid, "ECDSA signature of the wrong size"};
    signature = der;
  }
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || !init_context(ctx.get(), **alg, (*key)->key.get(), false))
    return failure{reason::internal_error, "cannot set up the verification"};
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(parts->signing_input.data()),
                       parts->signing_input.size()) != 1) {
    return failure{reason::signature_invalid, std::string((*alg)->name)};
  }
  verified_jws out;
  out.header = std::move(parts->header);
  out.payload = std::move(parts->payload);
  out.alg = std::string((*alg)->name);
  if (*kid) out.kid = std::string(**kid);
  return out;
}

outcome<std::string> sign_jws(std::string_view payload, const EVP_PKEY* key, std::string_view alg,
                              std::string_view kid, boost::json::object header) {
  base::openssl_error_scope errors;
  const signature_algorithm* found = find_signature_algorithm(alg);
  if (found == nullptr) return failure{reason::alg_forbidden, std::string(alg)};
  if (auto fits = key_type_fits(key, *found); !fits) return fits.error();
  header["alg"] = found->name;
  if (!kid.empty()) header["kid"] = kid;
  std::string input = base::base64url_encode(boost::json::serialize(header));
  input += '.';
  input += base::base64url_encode(payload);
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!ctx || !init_context(ctx.get(), *found, key, true) ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    return failure{reason::key_mismatch, "the key cannot sign " + std::string(alg)};
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     input.size()) != 1) {
    return failure{reason::internal_error, "signing failed"};
  }
  signature.resize(length);
  if (found->family == signature_family::ecdsa) {
    signature = ecdsa_der_to_jws(signature, found->coordinate);
    if (signature.empty()) return failure{reason::internal_error, "bad ECDSA signature"};
  }
  input += '.';
  input += base::base64url_encode(signature);
  return input;
}

}  // namespace varco::jose
