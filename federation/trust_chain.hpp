// Trust chain validation (OpenID Federation 1.0 §10.2): from an entity's Entity Configuration,
// through the Subordinate Statements of its superiors, to the Entity Configuration of a trust
// anchor whose keys the operator configured. The result is the entity's metadata of one entity
// type with the superiors' policies applied, and the time the chain stops being valid.
#pragma once

#include "federation/errors.hpp"
#include "jose/jwk.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <span>
#include <string>
#include <vector>

namespace varco::federation {

struct trust_anchor {
  std::string entity_id;
  jose::jwk_set keys;  // configured out of band, never taken from the chain
};

struct chain_request {
  std::string entity_type;                        // "openid_provider"
  std::vector<std::string> required_trust_marks;  // trust mark types the leaf must carry
  std::chrono::system_clock::time_point now;
};

struct resolved_entity {
  std::string entity_id;
  boost::json::object metadata;                   // of chain_request::entity_type, policies applied
  std::chrono::system_clock::time_point expires;  // the earliest exp in the chain
  std::string trust_anchor;
};

// `chain`: the leaf's Entity Configuration first, then one Subordinate Statement per superior,
// then the trust anchor's Entity Configuration, each a compact JWS.
//
// Refusals: statement_malformed, statement_signature (each statement is checked with the keys
// of the statement above it: the leaf's configuration with its own keys and its superior's
// statement of them, the anchor's with the configured keys), statement_expired,
// statement_not_yet_valid, chain_broken (an issuer that is not the next subject, or not in the
// subordinate's authority_hints), chain_untrusted (the last statement is not the configured
// anchor's), policy_invalid, policy_violation, metadata_missing, trust_mark_missing.
outcome<resolved_entity> validate_chain(std::span<const std::string> chain,
                                        std::span<const trust_anchor> anchors,
                                        const chain_request& request);

}  // namespace varco::federation
