#include "tests/support/jwt_check.hpp"

#include "base/base64.hpp"
#include "base/openssl_handles.hpp"

#include <boost/json/parse.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstdint>
#include <memory>

namespace varco::test {
namespace {

using pkey_ptr = base::openssl_ptr<EVP_PKEY>;

// The P-256 public key of a JWK, rebuilt from its x and y.
pkey_ptr public_key(const boost::json::object& jwk) {
  const auto* x = jwk.if_contains("x");
  const auto* y = jwk.if_contains("y");
  if (x == nullptr || y == nullptr || !x->is_string() || !y->is_string()) return nullptr;
  const std::string point = "\x04" +
                            base::base64url_decode(x->as_string()).value_or(std::string()) +
                            base::base64url_decode(y->as_string()).value_or(std::string());
  base::openssl_ptr<OSSL_PARAM_BLD> build(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                   point.size());
  base::openssl_ptr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(build.get()));
  base::openssl_ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  return pkey_ptr(key);
}

// JWS's fixed 64-byte r||s, verified as the DER ECDSA-Sig-Value OpenSSL expects.
bool verify_es256(std::string_view signed_part, const std::string& signature, EVP_PKEY* key) {
  if (signature.size() != 64 || key == nullptr) return false;
  const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
  base::openssl_ptr<ECDSA_SIG> sig(ECDSA_SIG_new());
  ECDSA_SIG_set0(sig.get(), BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
  unsigned char* der_raw = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig.get(), &der_raw);
  base::openssl_ptr<unsigned char> der(der_raw);
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  return der_size > 0 &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), der.get(), static_cast<std::size_t>(der_size),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

std::optional<boost::json::object> json_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return value.as_object();
}

}  // namespace

std::optional<checked_jwt> check_jwt(std::string_view token, std::string_view jwks) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  auto header = json_object(base::base64url_decode(token.substr(0, first)).value_or(std::string()));
  auto claims = json_object(
      base::base64url_decode(token.substr(first + 1, second - first - 1)).value_or(std::string()));
  auto keys = json_object(jwks);
  if (!header || !claims || !keys || !keys->contains("keys") || !keys->at("keys").is_array())
    return std::nullopt;
  checked_jwt checked{std::move(*header), std::move(*claims), false};
  const auto* kid = checked.header.if_contains("kid");
  const auto* alg = checked.header.if_contains("alg");
  if (kid == nullptr || alg == nullptr || *alg != "ES256") return checked;
  for (const auto& jwk : keys->at("keys").as_array()) {
    if (!jwk.is_object() || jwk.as_object().if_contains("kid") == nullptr ||
        jwk.as_object().at("kid") != *kid)
      continue;
    const auto key = public_key(jwk.as_object());
    checked.signature_valid = verify_es256(
        token.substr(0, second),
        base::base64url_decode(token.substr(second + 1)).value_or(std::string()), key.get());
  }
  return checked;
}

}  // namespace varco::test
