// The constraints a superior puts in its Subordinate Statement (OpenID Federation 1.0 §6.2) on
// the chain below it: how many intermediates, which entity identifiers, which entity types.
#pragma once

#include "federation/entity_statement.hpp"
#include "federation/errors.hpp"

#include <string_view>
#include <vector>

namespace varco::federation {

// `chain` verified, the leaf's configuration first. constraint_violation when a statement's
// max_path_length is exceeded or an entity below its issuer falls outside its
// naming_constraints (permitted / excluded host names; ".example.org" is any host under it);
// metadata_missing when `entity_type` is not among its allowed_entity_types.
outcome<void> check_constraints(const std::vector<entity_statement>& chain,
                                std::string_view entity_type);

}  // namespace varco::federation
