// The UserInfo response of the SPID/CIE OpenID Connect profile: a JWT signed by the provider
// and encrypted to the relying party (a JWS inside a JWE), read as OpenID Connect Core §5.3.2
// reads a signed one: the subject must be the ID Token's, iss the provider, aud the client.
#pragma once

#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "oidc/errors.hpp"

#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <vector>

namespace varco::oidc {

struct userinfo_expectations {
  std::string issuer;                   // the provider's issuer
  std::string client_id;                // the audience
  std::string subject;                  // the ID Token's sub
  std::vector<std::string> algorithms;  // the signing allow-list; empty: jose's default
  bool require_encryption = true;       // SPID and CIE always encrypt
};

// The claims of `response` (the body the UserInfo endpoint answered with). Refusals: the JOSE
// ones of the JWE and of the JWS inside it, request_invalid for a plain JWS when encryption is
// required, subject_missing (no sub, or not the ID Token's), then issuer_mismatch and
// audience_mismatch as for an ID Token (azp with several audiences; claim_missing without).
outcome<boost::json::object> read_userinfo(std::string_view response,
                                           std::span<const jose::decryption_key> rp_keys,
                                           const jose::jwk_set& provider_keys,
                                           const userinfo_expectations& expected);

}  // namespace varco::oidc
