// An entity's own Entity Configuration (OpenID Federation 1.0 §3.1): the statement it publishes
// at /.well-known/openid-federation, self-signed with one of its federation keys.
#pragma once

#include "federation/errors.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <openssl/evp.h>

#include <chrono>
#include <string>
#include <vector>

namespace varco::federation {

struct entity_configuration {
  std::string entity_id;
  std::vector<std::string> authority_hints;  // the superiors that issue statements about it
  boost::json::object metadata;              // by entity type ("openid_relying_party": {...})
  boost::json::array trust_marks;            // as the trust mark issuers gave them
  boost::json::array federation_jwks;        // the public federation keys, current and next
  std::chrono::seconds lifetime{std::chrono::hours(24)};
};

// The signed statement: iss = sub = entity_id, iat = now, exp = now + lifetime, jwks,
// authority_hints, metadata, trust_marks; typ entity-statement+jwt, signed with `key` (alg and
// kid as given; the kid must be one of federation_jwks'). internal_error when it cannot sign.
outcome<std::string> sign_entity_configuration(const entity_configuration& configuration,
                                               const EVP_PKEY* key, std::string_view alg,
                                               std::string_view kid,
                                               std::chrono::system_clock::time_point now);

}  // namespace varco::federation
