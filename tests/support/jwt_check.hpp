// An ES256 JWT checked the way a product portal would: split, decoded, and its signature verified
// against a key of a JWKS document (as varco publishes at /.well-known/jwks.json). Independent of
// varco's own policies/ code, so a test does not verify the signer with itself.
//
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace varco::test {

struct checked_jwt {
  boost::json::object header;
  boost::json::object claims;
  bool signature_valid = false;  // against the JWKS key named by the header's kid
};

// nullopt when `token` is not three base64url parts with JSON header and claims, or `jwks` is
// not a JWKS; signature_valid false when no key has the kid or the signature does not match.
std::optional<checked_jwt> check_jwt(std::string_view token, std::string_view jwks);

}  // namespace varco::test
