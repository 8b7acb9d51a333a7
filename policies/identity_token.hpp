// The claims of the identity token sent to product portals, following the pagoPA Self Care
// identity token so portals built for Self Care read it unchanged.
#pragma once

#include "policies/identity.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace varco::policies {

using duration = std::chrono::milliseconds;

// iss, aud, sub (= uid), uid, iat, exp, jti, typ "ID", desired_exp (session expiry), fiscal_number,
// name, family_name, email, organization{id, name, fiscal_code, ipaCode, roles[{partyRole, role,
// productId}]}, environment. Times are NumericDate seconds; exp = min(now + ttl, session expiry)
// so a token never outlives the session it came from.
boost::json::object identity_token_claims(const identity& id, std::string_view issuer,
                                          std::string_view audience, time_point now, duration ttl,
                                          std::string jti);

// The token's exp as a time_point (the cache keys its lifetime on it).
time_point identity_token_expiry(const identity& id, time_point now, duration ttl);

// A fresh token id (jti): 128 random bits as 32 lower-case hex digits. Aborts when the system's
// random source fails: a predictable id would make tokens replayable.
std::string new_token_id();

}  // namespace varco::policies
