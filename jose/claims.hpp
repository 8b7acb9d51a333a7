// The registered claims of a JWT (RFC 7519 §4.1) checked the way OpenID Connect Core §3.1.3.7
// checks an ID Token: issuer, audience (and azp when there are several), expiry, not-before and
// issue time against one clock with a bounded skew.
#pragma once

#include "jose/errors.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace varco::jose {

struct claim_expectations {
  std::string issuer;    // iss must equal it
  std::string audience;  // aud must be it or hold it
  std::chrono::system_clock::time_point now;
  std::chrono::seconds skew{60};
  bool require_iat = true;
};

// The payload of a verified JWS as a JSON object (payload_malformed otherwise).
outcome<boost::json::object> parse_claims(std::string_view payload);

// iss equal to `issuer`; aud `audience` or an array holding it, with azp naming it when there
// are several. claim_missing, issuer_mismatch, audience_mismatch.
outcome<void> check_issuer_and_audience(const boost::json::object& claims, std::string_view issuer,
                                        std::string_view audience);

// check_issuer_and_audience, then the times. claim_missing, claim_malformed, issuer_mismatch,
// audience_mismatch, expired, not_yet_valid, issued_in_future.
outcome<void> check_claims(const boost::json::object& claims, const claim_expectations& expected);

}  // namespace varco::jose
