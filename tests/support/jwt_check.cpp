#include "tests/support/jwt_check.hpp"

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

struct pkey_deleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct pkey_ctx_deleter {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct param_bld_deleter {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
};
struct param_deleter {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct ecdsa_sig_deleter {
  void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
};
struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct openssl_bytes_deleter {
  void operator()(unsigned char* p) const noexcept { OPENSSL_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;

std::string base64url_decode(std::string_view text) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits_value = 0;
  int bits = 0;
  for (const char c : text) {
    const auto at = alphabet.find(c);
    if (at == std::string_view::npos) break;
    bits_value = (bits_value << 6) | static_cast<std::uint32_t>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((bits_value >> bits) & 0xFF));
    }
  }
  return out;
}

// The P-256 public key of a JWK, rebuilt from its x and y.
pkey_ptr public_key(const boost::json::object& jwk) {
  const auto* x = jwk.if_contains("x");
  const auto* y = jwk.if_contains("y");
  if (x == nullptr || y == nullptr || !x->is_string() || !y->is_string()) return nullptr;
  const std::string point =
      "\x04" + base64url_decode(x->as_string()) + base64url_decode(y->as_string());
  std::unique_ptr<OSSL_PARAM_BLD, param_bld_deleter> build(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                   point.size());
  std::unique_ptr<OSSL_PARAM, param_deleter> params(OSSL_PARAM_BLD_to_param(build.get()));
  std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_deleter> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
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
  std::unique_ptr<ECDSA_SIG, ecdsa_sig_deleter> sig(ECDSA_SIG_new());
  ECDSA_SIG_set0(sig.get(), BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
  unsigned char* der_raw = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig.get(), &der_raw);
  std::unique_ptr<unsigned char, openssl_bytes_deleter> der(der_raw);
  std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx(EVP_MD_CTX_new());
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
  auto header = json_object(base64url_decode(token.substr(0, first)));
  auto claims = json_object(base64url_decode(token.substr(first + 1, second - first - 1)));
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
    checked.signature_valid = verify_es256(token.substr(0, second),
                                           base64url_decode(token.substr(second + 1)), key.get());
  }
  return checked;
}

}  // namespace varco::test
