// Why an OpenID Connect message was refused. The JOSE reasons come first, with the same
// enumerators in the same order, so a token's refusal keeps its precise code (alg_none,
// expired, …); the OpenID Connect checks follow.
#pragma once

#include "base/reason_codes.hpp"
#include "jose/errors.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace varco::oidc {

#define VARCO_OIDC_REASONS(X)                                                   \
  VARCO_JOSE_REASONS(X)                                                         \
  /* OpenID Connect */                                                          \
  X(nonce_mismatch)   /* the ID Token's nonce is not the one this login sent */ \
  X(acr_insufficient) /* the authentication level is below the one asked for */ \
  X(subject_missing)                                                            \
  X(request_invalid) /* what varco was asked to send is incomplete */           \
  X(key_unusable)    /* varco's own key cannot sign what is asked */

VARCO_DECLARE_REASON_TYPES(VARCO_OIDC_REASONS)

// The same refusal, as this module's reason (the JOSE list is this list's prefix).
failure from_jose(const jose::failure& f);

}  // namespace varco::oidc
