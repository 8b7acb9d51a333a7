// Entering a redirect-mode environment: the portal lives elsewhere, so instead of proxying varco
// sends the browser to the environment's URL template with a short-lived identity token (the
// same claims the proxy sends, signed with varco's key, verifiable with its JWKS) in the fragment.
//
// Used by POST /area/environment only: a token is signed when the user chooses the environment,
// never on a GET that a link or a prefetch could trigger. Pure functions over const data: the
// clock and the token id come from the caller; thread-safe.
#pragma once

#include "conf/config.hpp"
#include "directory/snapshot.hpp"
#include "policies/identity.hpp"
#include "session/session.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace varco::gateway {

// The identity the token carries: the selected party and the user's membership on the product,
// as decide_access found them. The caller has checked the choice (check_environment_choice);
// a party or membership gone from the directory since is refused as not_a_member.
boost::system::result<policies::identity> redirect_identity(const session::session& user,
                                                            const directory::snapshot& directory,
                                                            const conf::config& config,
                                                            const conf::product& product,
                                                            const conf::environment& environment);

// The token's claims (policies/identity_token): aud = the environment's audience (the product by
// default), exp = now + token_ttl (never past the session's end), `jti` as given.
boost::json::object redirect_token_claims(const conf::config& config,
                                          const conf::environment& environment,
                                          const policies::identity& identity,
                                          session::time_point now, std::string jti);

// The values of the template's placeholders; each is percent-encoded when filled in.
struct redirect_values {
  std::string token;
  std::string lang = "it";
  std::string party;
  std::string product;
};

// `url_template` (checked at load by conf::redirect_template_problem) with every placeholder
// replaced. Text outside placeholders is kept as written.
std::string fill_redirect_url(std::string_view url_template, const redirect_values& values);

}  // namespace varco::gateway
