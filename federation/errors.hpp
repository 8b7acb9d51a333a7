// Why an OpenID Federation entity statement or trust chain was refused: a stable reason code for
// logs and metrics, plus a detail (which statement, which operator, the JOSE reason).
#pragma once

#include "base/reason_codes.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace varco::federation {

#define VARCO_FEDERATION_REASONS(X)                                                           \
  X(statement_malformed) /* not a JWS of an entity statement, or a claim is missing */        \
  X(statement_signature) /* the signature does not verify with the keys it must */            \
  X(statement_expired)                                                                        \
  X(statement_not_yet_valid)                                                                  \
  X(chain_broken)         /* an issuer is not the subject of the statement above it */        \
  X(chain_untrusted)      /* the chain does not end at the configured trust anchor */         \
  X(constraint_violation) /* a superior's max_path_length or naming constraints */            \
  X(policy_invalid)       /* a metadata policy is malformed or conflicts with a superior's */ \
  X(policy_violation)     /* the metadata does not satisfy the merged policy */               \
  X(metadata_missing)     /* no metadata for the entity type asked for */                     \
  X(trust_mark_missing)                                                                       \
  X(internal_error)

VARCO_DECLARE_REASON_TYPES(VARCO_FEDERATION_REASONS)

}  // namespace varco::federation
