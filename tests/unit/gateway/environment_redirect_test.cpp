// Redirect-mode environments: the identity behind the token, its claims (aud, exp from token_ttl,
// jti), and the URL template filled with percent-encoded values.
#include "gateway/portal/environment_redirect.hpp"

#include "gateway/pages/area_model.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;
using directory::party_role;
using namespace std::chrono_literals;

// prod-io's "esterno" as the loader leaves it: audience defaulted to the product.
conf::config redirect_config() {
  auto config = area_config();
  config.jwt.issuer = "https://area.example.it";
  config.sessions.absolute_timeout = 8h;
  conf::environment& esterno = config.products[1].environments[1];
  esterno.redirect_url = "https://backoffice.example/#selfCareToken={token}&lang={lang}";
  esterno.audience = "prod-io";
  esterno.token_ttl = 60s;
  return config;
}

std::int64_t seconds_of(session::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TEST(environment_redirect, the_token_claims_name_the_user_party_role_product_and_environment) {
  const auto config = redirect_config();
  const auto dir = area_directory({member(admin_cf, comune, "prod-io", party_role::manager)});
  const auto now = session::time_point(1'800'000'000s);
  auto user = area_session();
  user.created_at = now - 10min;
  const conf::product& io = config.products[1];
  auto identity = redirect_identity(user, *dir, config, io, io.environments[1]);
  ASSERT_TRUE(identity) << identity.error().message();
  const auto claims = redirect_token_claims(config, io.environments[1], *identity, now, "jti-1");
  EXPECT_EQ(claims.at("aud").as_string(), "prod-io");
  EXPECT_EQ(claims.at("iss").as_string(), "https://area.example.it");
  EXPECT_EQ(claims.at("iat").as_int64(), seconds_of(now));
  EXPECT_EQ(claims.at("exp").as_int64(), seconds_of(now + 60s));
  EXPECT_EQ(claims.at("jti").as_string(), "jti-1");
  EXPECT_EQ(claims.at("fiscal_number").as_string(), admin_cf);
  EXPECT_EQ(claims.at("environment").as_string(), "esterno");
  const auto& organization = claims.at("organization").as_object();
  EXPECT_EQ(organization.at("id").as_string(), comune);
  const auto& role = organization.at("roles").as_array().at(0).as_object();
  EXPECT_EQ(role.at("partyRole").as_string(), "MANAGER");
  EXPECT_EQ(role.at("productId").as_string(), "prod-io");
}

TEST(environment_redirect, the_token_carries_the_work_email_at_the_party) {
  const auto config = redirect_config();
  directory::directory_data data =
      area_directory({member(admin_cf, comune, "prod-io", party_role::manager)})->data();
  data.people = {{admin_cf, "Mario", "Rossi", "", {{comune, "m.rossi@comune.example.it"}}}};
  const directory::snapshot dir(std::move(data), 1);
  auto user = area_session();
  user.attributes["email"] = "mario.rossi@spid.example.it";
  const conf::product& io = config.products[1];
  auto identity = redirect_identity(user, dir, config, io, io.environments[1]);
  ASSERT_TRUE(identity);
  const auto claims = redirect_token_claims(config, io.environments[1], *identity,
                                            session::time_point(1'800'000'000s), "j");
  EXPECT_EQ(claims.at("email").as_string(), "m.rossi@comune.example.it");
}

TEST(environment_redirect, the_token_never_outlives_the_session) {
  const auto config = redirect_config();
  const auto dir = area_directory({member(admin_cf, comune, "prod-io", party_role::manager)});
  const auto now = session::time_point(1'800'000'000s);
  auto user = area_session();
  user.created_at = now - 8h + 20s;  // 20 s of the absolute timeout left
  const conf::product& io = config.products[1];
  auto identity = redirect_identity(user, *dir, config, io, io.environments[1]);
  ASSERT_TRUE(identity);
  const auto claims = redirect_token_claims(config, io.environments[1], *identity, now, "j");
  EXPECT_EQ(claims.at("exp").as_int64(), seconds_of(now + 20s));
}

TEST(environment_redirect, a_membership_gone_from_the_directory_is_refused) {
  const auto config = redirect_config();
  const auto dir = area_directory();  // no prod-io membership for the user at the municipality
  const conf::product& io = config.products[1];
  auto identity = redirect_identity(area_session(), *dir, config, io, io.environments[1]);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error(), make_error_code(area_errc::not_a_member));
  auto no_party = redirect_identity(area_session("p-gone"), *dir, config, io, io.environments[1]);
  EXPECT_FALSE(no_party);
}

TEST(environment_redirect, placeholders_are_filled_percent_encoded) {
  const redirect_values values{
      .token = "eyJ.abc-_.sig", .lang = "it", .party = "a b&c/d#e", .product = "prod-io"};
  EXPECT_EQ(fill_redirect_url("https://p.example/#selfCareToken={token}&lang={lang}", values),
            "https://p.example/#selfCareToken=eyJ.abc-_.sig&lang=it");
  EXPECT_EQ(fill_redirect_url("https://p.example/{product}/?p={party}#t={token}", values),
            "https://p.example/prod-io/?p=a%20b%26c%2Fd%23e#t=eyJ.abc-_.sig");
  // Every occurrence, and text that only looks like a placeholder is kept as written.
  EXPECT_EQ(fill_redirect_url("https://p.example/#a={lang}&b={lang}&x={x}&t={token}{", values),
            "https://p.example/#a=it&b=it&x={x}&t=eyJ.abc-_.sig{");
}

}  // namespace
}  // namespace varco::gateway
