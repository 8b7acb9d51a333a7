// ES256 JSON Web Token signer and the JWKS that publishes its public key (and previous ones, so
// tokens signed before a key rotation still verify until they expire).
//
// Built once at start-up or reload. Signing is const and uses a fresh EVP_MD_CTX per call over an
// immutable EVP_PKEY, which OpenSSL 3 allows from several threads at once; still, the gateway
// signs rarely (token_cache), never per request.
#pragma once

#include "base/openssl_handles.hpp"
#include "conf/config.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace varco::policies {

// One public key as published in the JWKS.
struct public_jwk {
  std::string kid;
  std::string x;  // base64url, 32 bytes
  std::string y;  // base64url, 32 bytes
};

class jwt_signer {
 public:
  // `kid` empty → the RFC 7638 thumbprint of the key. Previous public keys (PEM
  // SubjectPublicKeyInfo, or a private key PEM, whose public half is used) are published with
  // their configured kid — the one the tokens they signed carry — or, when it is empty, their
  // thumbprint.
  static boost::system::result<jwt_signer> from_pem_file(
      const std::string& path, std::string kid,
      const std::vector<conf::previous_jwt_key>& previous_public_keys);

  // header.payload.signature with header {"alg":"ES256","typ":"JWT","kid":kid}. Returns "" only if
  // OpenSSL fails, which a key checked by from_pem_file does not do short of memory exhaustion.
  std::string sign(const boost::json::object& payload) const;

  // {"keys":[current, previous…]} with kty, crv, x, y, kid, use, alg.
  const std::string& jwks_json() const { return jwks_json_; }
  const std::string& kid() const { return current_.kid; }
  const public_jwk& current_key() const { return current_; }

 private:
  jwt_signer(base::openssl_ptr<EVP_PKEY> key, public_jwk current, std::vector<public_jwk> previous);

  base::openssl_ptr<EVP_PKEY> key_;
  public_jwk current_;
  std::vector<public_jwk> previous_;
  std::string jwks_json_;
};

// RFC 7638 JWK thumbprint of an EC P-256 key given by its base64url coordinates.
std::string jwk_thumbprint(std::string_view x, std::string_view y);

}  // namespace varco::policies
