// Why a JOSE object (JWS, JWE, JWK, JWT claims) was refused: a stable reason code for logs,
// metrics and error pages, plus a human readable detail.
//
// Functions of this module return outcome<T> and never throw.
#pragma once

#include "base/reason_codes.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace varco::jose {

// One macro holds the list, so a reason's code is its enumerator's name and cannot drift.
#define VARCO_JOSE_REASONS(X)                                                        \
  /* shape */                                                                        \
  X(token_too_large)                                                                 \
  X(token_malformed) /* not the compact serialization, or a part too large */        \
  X(bad_encoding)    /* not canonical unpadded base64url */                          \
  X(header_malformed)                                                                \
  X(payload_malformed)                                                               \
  X(crit_unsupported) /* a "crit" header: no extension is understood */              \
  X(zip_forbidden)                                                                   \
  /* algorithms and keys */                                                          \
  X(alg_none)                                                                        \
  X(alg_hmac) /* an HMAC algorithm, never accepted with asymmetric keys */           \
  X(alg_forbidden)                                                                   \
  X(enc_forbidden)                                                                   \
  X(kid_missing)                                                                     \
  X(kid_unknown)                                                                     \
  X(key_mismatch) /* the key's type, curve, use or alg does not fit the algorithm */ \
  X(key_too_weak)                                                                    \
  X(jwk_malformed)                                                                   \
  X(jwk_private_refused) /* private members where only a public key belongs */       \
  /* cryptography */                                                                 \
  X(signature_invalid)                                                               \
  X(decryption_failed)                                                               \
  /* claims */                                                                       \
  X(claim_missing)                                                                   \
  X(claim_malformed)                                                                 \
  X(issuer_mismatch)                                                                 \
  X(audience_mismatch)                                                               \
  X(expired)                                                                         \
  X(not_yet_valid)                                                                   \
  X(issued_in_future)                                                                \
  /* ours */                                                                         \
  X(internal_error)

VARCO_DECLARE_REASON_TYPES(VARCO_JOSE_REASONS)

}  // namespace varco::jose
