// JSON Web Encryption in the compact serialization (RFC 7516), decrypted with the relying
// party's RSA keys: RSA-OAEP or RSA-OAEP-256 for the content key, AES-CBC with HMAC-SHA2
// (RFC 7518 §5.2) or AES-GCM for the content. Every step is OpenSSL's; this file only puts the
// steps in the order the RFCs give.
#pragma once

#include "base/openssl_handles.hpp"
#include "jose/compact.hpp"
#include "jose/errors.hpp"

#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace varco::jose {

struct decryption_key {
  std::string kid;  // matched against the header's kid when it has one
  base::openssl_ptr<EVP_PKEY> key;
};

struct jwe_policy {
  std::vector<std::string> algorithms;   // key encryption; empty: every known one
  std::vector<std::string> encryptions;  // content encryption; empty: every known one
  limits size;
};

struct decrypted_jwe {
  boost::json::object header;
  std::string plaintext;
  std::string kid;  // of the key that opened it
};

// Refusals: the shape (as for JWS), alg_forbidden (RSA1_5, dir, key wrapping), enc_forbidden,
// kid_unknown, key_mismatch (not an RSA key), then decryption_failed for anything the keys and
// the tag do not confirm, without saying which step failed.
outcome<decrypted_jwe> decrypt_jwe(std::string_view token, std::span<const decryption_key> keys,
                                   const jwe_policy& policy);

}  // namespace varco::jose
