#include "policies/jwt_signer.hpp"

#include "base/base64.hpp"
#include "base/sha256.hpp"
#include "jose/ecdsa.hpp"
#include "policies/errors.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <array>

namespace varco::policies {
namespace {

constexpr std::size_t coordinate_bytes = 32;  // P-256

base::openssl_ptr<EVP_PKEY> read_private_key(const std::string& path,
                                             boost::system::error_code& ec) {
  base::openssl_ptr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ec = key_errc::unreadable;
    return nullptr;
  }
  base::openssl_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) ec = key_errc::not_a_key;
  return key;
}

// A SubjectPublicKeyInfo PEM, or else a private key PEM whose public half is used.
base::openssl_ptr<EVP_PKEY> read_public_key(const std::string& path,
                                            boost::system::error_code& ec) {
  base::openssl_ptr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ec = key_errc::unreadable;
    return nullptr;
  }
  base::openssl_ptr<EVP_PKEY> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (key) return key;
  ERR_clear_error();
  return read_private_key(path, ec);
}

std::string coordinate(const EVP_PKEY* key, const char* param) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &raw) != 1) return {};
  base::openssl_ptr<BIGNUM> bn(raw);
  std::array<unsigned char, coordinate_bytes> bytes{};
  if (BN_bn2binpad(bn.get(), bytes.data(), static_cast<int>(bytes.size())) < 0) return {};
  return base::base64url_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

// Checks the key is EC P-256 and returns its public coordinates.
boost::system::result<public_jwk> public_part(const EVP_PKEY* key) {
  std::array<char, 64> group{};
  std::size_t group_len = 0;
  if (EVP_PKEY_is_a(key, "EC") != 1 ||
      EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                     &group_len) != 1 ||
      std::string_view(group.data(), group_len) != "prime256v1") {
    ERR_clear_error();
    return key_errc::not_p256;
  }
  public_jwk jwk;
  jwk.x = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X);
  jwk.y = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y);
  if (jwk.x.empty() || jwk.y.empty()) {
    ERR_clear_error();
    return key_errc::not_a_key;
  }
  return jwk;
}

boost::json::object jwk_object(const public_jwk& k) {
  return {{"kty", "EC"},  {"crv", "P-256"}, {"x", k.x},      {"y", k.y},
          {"kid", k.kid}, {"use", "sig"},   {"alg", "ES256"}};
}

}  // namespace

std::string jwk_thumbprint(std::string_view x, std::string_view y) {
  // RFC 7638 §3.2: the required members only, lexicographic order, no whitespace.
  std::string canonical = R"({"crv":"P-256","kty":"EC","x":")";
  canonical += x;
  canonical += R"(","y":")";
  canonical += y;
  canonical += R"("})";
  const auto digest = base::sha256(canonical);
  return base::base64url_encode({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

boost::system::result<jwt_signer> jwt_signer::from_pem_file(
    const std::string& path, std::string kid,
    const std::vector<conf::previous_jwt_key>& previous_public_keys) {
  boost::system::error_code ec;
  base::openssl_ptr<EVP_PKEY> key = read_private_key(path, ec);
  if (!key) {
    ERR_clear_error();
    return ec;
  }
  auto current = public_part(key.get());
  if (!current) return current.error();
  current->kid = kid.empty() ? jwk_thumbprint(current->x, current->y) : std::move(kid);

  std::vector<public_jwk> previous;
  for (const auto& [file, previous_kid] : previous_public_keys) {
    base::openssl_ptr<EVP_PKEY> old = read_public_key(file, ec);
    if (!old) {
      ERR_clear_error();
      return ec;
    }
    auto jwk = public_part(old.get());
    if (!jwk) return jwk.error();
    jwk->kid = previous_kid.empty() ? jwk_thumbprint(jwk->x, jwk->y) : previous_kid;
    previous.push_back(std::move(*jwk));
  }
  return jwt_signer(std::move(key), std::move(*current), std::move(previous));
}

jwt_signer::jwt_signer(base::openssl_ptr<EVP_PKEY> key, public_jwk current,
                       std::vector<public_jwk> previous)
    : key_(std::move(key)), current_(std::move(current)), previous_(std::move(previous)) {
  boost::json::array keys;
  keys.push_back(jwk_object(current_));
  for (const auto& k : previous_) keys.push_back(jwk_object(k));
  jwks_json_ = boost::json::serialize(boost::json::object{{"keys", std::move(keys)}});
}

std::string jwt_signer::sign(const boost::json::object& payload) const {
  const boost::json::object header{{"alg", "ES256"}, {"typ", "JWT"}, {"kid", current_.kid}};
  std::string token = base::base64url_encode(boost::json::serialize(header));
  token += '.';
  token += base::base64url_encode(boost::json::serialize(payload));

  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::size_t der_len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &der_len,
                     reinterpret_cast<const unsigned char*>(token.data()), token.size()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string der(der_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &der_len,
                     reinterpret_cast<const unsigned char*>(token.data()), token.size()) != 1) {
    ERR_clear_error();
    return {};
  }
  der.resize(der_len);
  const std::string raw = jose::ecdsa_der_to_jws(der, coordinate_bytes);
  if (raw.empty()) return {};
  token += '.';
  token += base::base64url_encode(raw);
  return token;
}

}  // namespace varco::policies
