// JSON Web Signatures in the compact serialization (RFC 7515), verified against a key set with
// an algorithm allow-list, and made with a private key.
#pragma once

#include "jose/compact.hpp"
#include "jose/errors.hpp"
#include "jose/jwk.hpp"

#include <boost/json/object.hpp>
#include <openssl/evp.h>

#include <string>
#include <string_view>
#include <vector>

namespace varco::jose {

struct jws_policy {
  // Names from signature_algorithms(); empty means all of them. "none" and HMAC are refused
  // whatever this says.
  std::vector<std::string> algorithms;
  // Without a kid a token is refused, unless this is false and the set holds exactly one key.
  bool require_kid = true;
  std::string expected_typ;  // compared without case when not empty ("JWT", "entity-statement+jwt")
  limits size;
};

struct verified_jws {
  boost::json::object header;
  std::string payload;
  std::string alg;
  std::string kid;
};

// Refusals, in the order they are checked: the shape (token_too_large, token_malformed,
// bad_encoding, header_malformed, crit_unsupported, zip_forbidden), the algorithm (alg_none,
// alg_hmac, alg_forbidden), the type, the key (kid_missing, kid_unknown, key_mismatch,
// key_too_weak), then signature_invalid.
outcome<verified_jws> verify_jws(std::string_view token, const jwk_set& keys,
                                 const jws_policy& policy);

// A compact JWS of `payload` signed with `key` under `alg` (one of signature_algorithms()).
// `header` may add members (typ, and so on); alg and kid are set here.
outcome<std::string> sign_jws(std::string_view payload, const EVP_PKEY* key, std::string_view alg,
                              std::string_view kid, boost::json::object header = {});

}  // namespace varco::jose
