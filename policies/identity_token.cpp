#include "policies/identity_token.hpp"

#include "base/hex.hpp"
#include "base/random.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <array>

namespace varco::policies {
namespace {

std::int64_t seconds(time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

time_point identity_token_expiry(const identity& id, time_point now, duration ttl) {
  return std::min(now + ttl, id.session_expires_at);
}

boost::json::object identity_token_claims(const identity& id, std::string_view issuer,
                                          std::string_view audience, time_point now, duration ttl,
                                          std::string jti) {
  boost::json::array roles;
  roles.push_back(boost::json::object{{"partyRole", directory::to_string(id.party_role)},
                                      {"role", id.product_role},
                                      {"productId", id.product_id}});
  boost::json::object organization{{"id", id.party_id},
                                   {"name", id.party_name},
                                   {"fiscal_code", id.party_fiscal_code},
                                   {"ipaCode", id.party_ipa_code},
                                   {"roles", std::move(roles)}};
  return boost::json::object{{"iss", issuer},
                             {"aud", audience},
                             {"sub", id.uid},
                             {"uid", id.uid},
                             {"iat", seconds(now)},
                             {"exp", seconds(identity_token_expiry(id, now, ttl))},
                             {"jti", std::move(jti)},
                             {"typ", "ID"},
                             {"desired_exp", seconds(id.session_expires_at)},
                             {"fiscal_number", id.user_fiscal_number},
                             {"name", id.user_name},
                             {"family_name", id.user_family_name},
                             {"email", id.user_email},
                             {"organization", std::move(organization)},
                             {"environment", id.environment_id}};
}

std::string new_token_id() {
  std::array<unsigned char, 16> raw{};
  base::fill_random(raw);
  return base::hex(raw);
}

}  // namespace varco::policies
