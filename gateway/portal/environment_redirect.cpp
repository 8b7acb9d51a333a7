#include "gateway/portal/environment_redirect.hpp"

#include "gateway/http/url_encoding.hpp"
#include "gateway/pages/area_model.hpp"
#include "policies/identity_token.hpp"

#include <utility>

namespace varco::gateway {
namespace {

// The raw value of a placeholder; nullptr for a name that is not one (left as written).
const std::string* value_of(std::string_view name, const redirect_values& values) {
  if (name == "token") return &values.token;
  if (name == "lang") return &values.lang;
  if (name == "party") return &values.party;
  if (name == "product") return &values.product;
  return nullptr;
}

}  // namespace

boost::system::result<policies::identity> redirect_identity(const session::session& user,
                                                            const directory::snapshot& directory,
                                                            const conf::config& config,
                                                            const conf::product& product,
                                                            const conf::environment& environment) {
  const directory::party* party = directory.find_party(user.selected_party);
  const directory::membership* membership =
      directory.membership_for(user.fiscal_number(), user.selected_party, product.id);
  if (party == nullptr || membership == nullptr) return make_error_code(area_errc::not_a_member);
  // The token never outlives the session it came from (identity_token_expiry caps exp at it).
  const auto session_expiry = user.created_at + config.sessions.absolute_timeout;
  return policies::build_identity(user, *party, *membership,
                                  directory.find_person(user.fiscal_number()), product, environment,
                                  session_expiry);
}

boost::json::object redirect_token_claims(const conf::config& config,
                                          const conf::environment& environment,
                                          const policies::identity& identity,
                                          session::time_point now, std::string jti) {
  return policies::identity_token_claims(identity, config.jwt.issuer, environment.audience, now,
                                         environment.token_ttl, std::move(jti));
}

std::string fill_redirect_url(std::string_view url_template, const redirect_values& values) {
  std::string out;
  out.reserve(url_template.size() + values.token.size() + 64);
  std::size_t from = 0;
  for (std::size_t open = url_template.find('{'); open != std::string_view::npos;
       open = url_template.find('{', from)) {
    const std::size_t close = url_template.find('}', open + 1);
    if (close == std::string_view::npos) break;
    const std::string* value = value_of(url_template.substr(open + 1, close - open - 1), values);
    if (value == nullptr) {
      // Not a placeholder: keep the '{' and look again right after it.
      out.append(url_template.substr(from, open + 1 - from));
      from = open + 1;
      continue;
    }
    out.append(url_template.substr(from, open - from));
    out.append(percent_encode(*value));
    from = close + 1;
  }
  out.append(url_template.substr(from));
  return out;
}

}  // namespace varco::gateway
