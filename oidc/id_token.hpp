// The ID Token checks of OpenID Connect Core §3.1.3.7 for the authorization code flow, with
// the SPID/CIE rule that the authentication level reached is at least the one asked for.
#pragma once

#include "jose/claims.hpp"
#include "jose/jwk.hpp"
#include "oidc/errors.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace varco::oidc {

struct id_token_expectations {
  std::string issuer;     // the provider's issuer, exactly
  std::string client_id;  // the audience
  std::string nonce;      // the one sent with this login
  // The acr values in increasing strength (SPID L1 < L2 < L3) and the weakest acceptable one;
  // an empty minimum skips the check.
  std::vector<std::string> acr_order;
  std::string minimum_acr;
  std::vector<std::string> algorithms;  // the signing allow-list; empty: jose's default
  std::chrono::system_clock::time_point now;
  std::chrono::seconds skew{60};
};

// The claims of a JWS from the provider, verified with `keys` under the `algorithms` allow-list
// (empty: jose's default); the JOSE refusals as this module's.
outcome<boost::json::object> verify_signed_claims(std::string_view token, const jose::jwk_set& keys,
                                                  const std::vector<std::string>& algorithms);

// The iss of a compact JWS, read WITHOUT checking anything: only to choose the provider whose
// keys then verify it (a back-channel logout token names its sender nowhere else). nullopt for
// anything that is not a JWS with a string iss.
std::optional<std::string> peek_issuer(std::string_view token);

// The SPID levels in increasing strength, for id_token_expectations::acr_order.
std::vector<std::string> spid_acr_order();

// The verified claims of `token` signed with one of `keys`. Refusals: the JOSE ones (alg_none,
// alg_hmac, kid_unknown, signature_invalid, expired, issuer_mismatch, audience_mismatch, …),
// then nonce_mismatch, acr_insufficient, subject_missing.
outcome<boost::json::object> validate_id_token(std::string_view token, const jose::jwk_set& keys,
                                               const id_token_expectations& expected);

}  // namespace varco::oidc
