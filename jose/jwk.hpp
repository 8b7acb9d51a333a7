// JSON Web Keys (RFC 7517, RFC 7518 §6): public RSA and EC keys read into OpenSSL keys, and key
// sets looked up by "kid". Only public keys are read from JSON: a JWK carrying private members
// is refused, since a peer's key set that leaks its private half is not one to trust.
#pragma once

#include "base/openssl_handles.hpp"
#include "jose/errors.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace varco::jose {

inline constexpr int min_rsa_bits = 2048;

struct jwk {
  std::string kid;  // may be empty
  std::string use;  // "sig", "enc" or empty
  std::string alg;  // empty when the key does not pin one
  base::openssl_ptr<EVP_PKEY> key;
};

// kty RSA (n, e; at least 2048 bits) or EC (crv P-256/P-384/P-521, x, y on the curve).
outcome<jwk> parse_public_jwk(const boost::json::object& member);

class jwk_set {
 public:
  // {"keys": [...]} of at most `max_bytes`. Keys of a kty varco does not use (oct, OKP) are
  // skipped; a malformed RSA or EC key, or two keys with one kid, refuse the whole set.
  static outcome<jwk_set> parse(std::string_view json, std::size_t max_bytes = 64 * 1024);

  jwk_set() = default;
  void add(jwk key) { keys_.push_back(std::move(key)); }

  const jwk* find(std::string_view kid) const noexcept;
  const std::vector<jwk>& keys() const noexcept { return keys_; }

 private:
  std::vector<jwk> keys_;
};

// The public half of `key` as a JWK object with kid, use and alg (for entity configurations and
// jwks_uri). internal_error when the key is neither RSA nor EC on a JOSE curve.
outcome<boost::json::object> public_jwk_json(const EVP_PKEY* key, std::string_view kid,
                                             std::string_view use, std::string_view alg);

// The JWK Thumbprint of a public JWK (RFC 7638): base64url(SHA-256) of its required members in
// lexicographic order, without whitespace; the usual kid. Empty for a kty other than RSA or EC.
std::string jwk_thumbprint(const boost::json::object& public_jwk);

}  // namespace varco::jose
