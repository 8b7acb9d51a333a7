// OpenID Federation entity statements (OpenID Federation 1.0 §3): a signed JWT of type
// "entity-statement+jwt" in which `iss` says something about `sub` — itself in an Entity
// Configuration (iss == sub), a subordinate in a Subordinate Statement.
#pragma once

#include "federation/errors.hpp"
#include "jose/jwk.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace varco::federation {

inline constexpr std::string_view entity_statement_type = "entity-statement+jwt";

// 2200-01-01T00:00:00Z: the latest NumericDate read; later ones are refused as malformed. The
// system clock counts nanoseconds in 64 bits and ends in 2262.
inline constexpr std::int64_t max_numeric_date = 7'258'118'400;

struct entity_statement {
  std::string iss;
  std::string sub;
  std::chrono::system_clock::time_point iat;
  std::chrono::system_clock::time_point exp;
  jose::jwk_set jwks;  // the subject's federation keys
  std::vector<std::string> authority_hints;
  boost::json::object metadata;         // by entity type; may be empty
  boost::json::object metadata_policy;  // by entity type; may be empty
  std::vector<std::string> metadata_policy_crit;
  boost::json::array trust_marks;          // [{"trust_mark_type"|"id": ..., "trust_mark": JWT}]
  boost::json::object trust_mark_issuers;  // in a trust anchor's configuration
  boost::json::object constraints;         // in a subordinate statement (§6.2)
  bool is_configuration() const noexcept { return iss == sub; }
};

// The claims of `token` without checking its signature: only to find the keys an Entity
// Configuration is self-signed with, which verify_statement then checks it against.
outcome<entity_statement> read_statement(std::string_view token);

// `token` verified with `keys` (its typ, algorithm and signature, by kid) and current at `now`
// (iat not after now + skew, exp after now - skew).
outcome<entity_statement> verify_statement(std::string_view token, const jose::jwk_set& keys,
                                           std::chrono::system_clock::time_point now,
                                           std::chrono::seconds skew = std::chrono::seconds(60));

}  // namespace varco::federation
