// Metadata policies (OpenID Federation 1.0 §6.1): the superiors of an entity restrict, default or
// fix the parameters of its metadata. Policies are merged from the trust anchor down, then the
// merged policy is applied to the entity's metadata of one entity type.
//
// Operators: value, add, default, one_of, subset_of, superset_of, essential. An operator varco
// does not know is ignored unless a statement lists it in metadata_policy_crit (policy_invalid).
#pragma once

#include "federation/errors.hpp"

#include <boost/json/object.hpp>

#include <span>
#include <string>

namespace varco::federation {

// Merges `subordinate` (one entity type's policy: parameter → operators) into `merged`, which
// holds the policy of the superiors. policy_invalid on a conflict (two different `value`s or
// `default`s, an empty one_of intersection, a superior's essential turned off) or a malformed
// operator.
outcome<void> merge_policy(boost::json::object& merged, const boost::json::object& subordinate,
                           std::span<const std::string> crit);

// `metadata` with `policy` applied, in the spec's order: value, add, default, then the checks
// one_of, subset_of (narrows), superset_of, essential. policy_violation when the metadata
// cannot satisfy them.
outcome<boost::json::object> apply_policy(boost::json::object metadata,
                                          const boost::json::object& policy);

}  // namespace varco::federation
