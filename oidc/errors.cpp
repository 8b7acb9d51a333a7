#include "oidc/errors.hpp"

#include "base/reason_codes.hpp"

namespace varco::oidc {

VARCO_DEFINE_REASON_CODES(VARCO_OIDC_REASONS)

// from_jose relies on the JOSE reasons being this list's prefix, in the same order.
static_assert(static_cast<int>(reason::internal_error) ==
              static_cast<int>(jose::reason::internal_error));
static_assert(static_cast<int>(reason::alg_none) == static_cast<int>(jose::reason::alg_none));

failure from_jose(const jose::failure& f) {
  return failure{static_cast<reason>(static_cast<int>(f.code)), f.detail};
}

}  // namespace varco::oidc
