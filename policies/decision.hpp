// The access decision for a proxied request: may this session reach this product, on this
// environment, at this path?
//
// Pure functions over config, session and directory data: no I/O, no clock, no locks; safe to call
// from any thread on shared const data. Each rule below answers allow, deny or not_applicable on
// its own; decide_access combines them with default deny: any deny wins, and at least one allow is
// needed to pass.
//
// Reason codes are stable strings (logs, metrics labels, the 403 page); each is a named constant
// here and describe() turns it into a sentence.
#pragma once

#include "conf/config.hpp"
#include "directory/snapshot.hpp"
#include "session/session.hpp"

#include <string_view>

namespace varco::policies {

enum class verdict { allow, deny, not_applicable };

namespace reason {
// The session has no party selected: products are reached only on behalf of a party.
inline constexpr std::string_view no_party_selected = "no_party_selected";
// The user has no membership on the selected party for this product (also when the party or the
// user's fiscal number is unknown to the directory).
inline constexpr std::string_view not_a_member = "not_a_member";
// The membership exists but is suspended.
inline constexpr std::string_view membership_suspended = "membership_suspended";
// The membership's party role is not in the product's required_party_roles (an empty list allows
// nobody: default deny).
inline constexpr std::string_view role_not_allowed = "role_not_allowed";
// The party role is not allowed on this environment (environment.party_roles, or the product's
// required_party_roles when that is empty).
inline constexpr std::string_view environment_not_allowed = "environment_not_allowed";
// The longest path rule matching the path requires a product role the membership does not have.
inline constexpr std::string_view product_role_required = "product_role_required";
// No rule allowed the request (cannot happen with the rules above, kept as the default).
inline constexpr std::string_view default_deny = "default_deny";
// Allow outcomes carry this reason.
inline constexpr std::string_view allowed = "allowed";
}  // namespace reason

struct decision {
  verdict outcome = verdict::deny;
  std::string_view reason = reason::default_deny;  // one of the constants above (static storage)
  // The membership the decision was made on, when one was found (points into the snapshot).
  const directory::membership* membership = nullptr;

  bool allowed() const { return outcome == verdict::allow; }
};

// `path_in_product` is the normalised path relative to the product route (no query string), e.g.
// "/admin/users" for "/pagopa/admin/users" when the product's prefix is "/pagopa".
decision decide_access(const conf::product& product, const conf::environment& environment,
                       const session::session& session, const directory::snapshot& directory,
                       std::string_view path_in_product);

// The individual rules, exposed for tests and for pages that explain a denial.
decision rule_party_selected(const session::session& session);
decision rule_membership(const conf::product& product, const session::session& session,
                         const directory::snapshot& directory);
decision rule_party_role(const conf::product& product, const directory::membership& membership);
decision rule_environment(const conf::product& product, const conf::environment& environment,
                          const directory::membership& membership);
decision rule_path(const conf::product& product, const directory::membership& membership,
                   std::string_view path_in_product);

// The path rule governing `path`: the one with the longest prefix that matches on a segment
// boundary ("/admin" matches "/admin" and "/admin/x", not "/administrator"); nullptr if none.
const conf::path_rule* match_path_rule(const std::vector<conf::path_rule>& rules,
                                       std::string_view path);
bool prefix_matches(std::string_view prefix, std::string_view path);

// A human sentence for a reason code, in "it" (default for unknown languages) or "en".
std::string_view describe(std::string_view reason, std::string_view lang);

}  // namespace varco::policies
