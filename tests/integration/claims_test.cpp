// What reaches the product: the gateway's claims only (never a client's copy), a JWT that
// verifies against the JWKS, and nothing at all when the policy says no.
#include "base/base64.hpp"
#include "base/openssl_handles.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/jwt_check.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

class claims : public ::testing::Test {
 protected:
  gateway_stack stack;
  std::uint16_t port() const { return stack.gateway->port(); }
};

TEST_F(claims, client_identity_headers_are_stripped_in_every_spelling) {
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const header_list spoofed = {
      {"X-Varco-User-Fiscal-Number", "EVIL1"}, {"x-varco-user-fiscal-number", "EVIL2"},
      {"X_VARCO_USER_FISCAL_NUMBER", "EVIL3"}, {"X-Varco_User-Fiscal-Number", "EVIL4"},
      {"X-VARCO-PARTY-ID", "EVIL5"},           {"X-Varco-Party-Role", "MANAGER"},
      {"X-Varco-Identity-Token", "forged"},    {"X-Varco-Something-New", "EVIL6"},
      {"X-Forwarded-For", "10.9.9.9"},         {"X_Forwarded_For", "10.8.8.8"},
      {"X-Request-Id", "client-chosen"},       {"Cookie", "theme=dark"}};
  const auto answer = http_get(port(), "/pagopa/x", with_cookie(cookie, spoofed));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  const echoed seen(answer);
  EXPECT_EQ(seen.values("X-Varco-User-Fiscal-Number"), std::vector<std::string>{manager_cf});
  EXPECT_EQ(seen.values("X-Varco-Party-Id"), std::vector<std::string>{institution});
  EXPECT_EQ(seen.value("X-Varco-Party-Role"), "MANAGER");
  EXPECT_TRUE(seen.values("X-Varco-Something-New").empty());
  EXPECT_EQ(seen.values("X-Varco-Identity-Token").size(), 1u);
  EXPECT_NE(seen.value("X-Varco-Identity-Token"), "forged");
  for (const auto& [name, value] : seen.headers) {
    EXPECT_EQ(name.find('_'), std::string::npos) << name;
    EXPECT_EQ(value.find("EVIL"), std::string::npos) << name << ": " << value;
  }
  EXPECT_EQ(seen.value("X-Forwarded-For"), "127.0.0.1");  // the client is not a trusted proxy
  EXPECT_NE(seen.value("X-Request-Id"), "client-chosen");
  EXPECT_EQ(seen.value("X-Request-Id"), answer.header("x-request-id"));
  // The session cookie never reaches the product; the product's own cookies do.
  for (const auto& value : seen.values("Cookie"))
    EXPECT_EQ(value.find("varco_session"), std::string::npos);
  EXPECT_EQ(seen.values("Cookie"), std::vector<std::string>{"theme=dark"});
}

TEST_F(claims, authorization_is_replaced_when_the_product_takes_the_token_as_bearer) {
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-io", "collaudo"}});
  const auto answer = http_get(port(), "/x",
                               with_cookie(cookie, {{"Host", "io.example.test"},
                                                    {"Authorization", "Bearer forged"},
                                                    {"authorization", "Basic Zm9vOmJhcg=="}}));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  const auto values = echoed(answer).values("Authorization");
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].rfind("Bearer ey", 0), 0u) << values[0];
}

TEST_F(claims, the_identity_token_verifies_against_the_jwks_with_the_right_claims) {
  const auto jwks_answer = http_get(port(), "/.well-known/jwks.json");
  ASSERT_EQ(jwks_answer.status, 200u);
  const auto jwks = boost::json::parse(jwks_answer.body).as_object();
  const auto& jwk = jwks.at("keys").as_array().at(0).as_object();
  EXPECT_EQ(jwk.at("kid").as_string(), "test-key-1");

  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  http_client client(port());  // one connection, one worker: its token cache
  const auto first = client.get("/pagopa/x", with_cookie(cookie));
  ASSERT_EQ(first.status, 200u) << first.body;
  const std::string token = echoed(first).value("X-Varco-Identity-Token");
  ASSERT_FALSE(token.empty());
  const auto checked = check_jwt(token, jwks_answer.body);
  ASSERT_TRUE(checked);
  EXPECT_TRUE(checked->signature_valid);
  std::string tampered = token;
  tampered[tampered.find('.') + 5] ^= 1;
  const auto tampered_check = check_jwt(tampered, jwks_answer.body);
  EXPECT_FALSE(tampered_check && tampered_check->signature_valid);

  const auto& header = checked->header;
  EXPECT_EQ(header.at("alg").as_string(), "ES256");
  EXPECT_EQ(header.at("kid").as_string(), "test-key-1");
  const auto& claims = checked->claims;
  EXPECT_EQ(claims.at("iss").as_string(), "http://varco.test");
  EXPECT_EQ(claims.at("aud").as_string(), "pagopa-collaudo");
  EXPECT_EQ(claims.at("fiscal_number").as_string(), manager_cf);
  EXPECT_EQ(claims.at("name").as_string(), "Mario");
  EXPECT_EQ(claims.at("family_name").as_string(), "Rossi");
  EXPECT_EQ(claims.at("email").as_string(), "mario.rossi@example.it");
  EXPECT_EQ(claims.at("environment").as_string(), "collaudo");
  EXPECT_EQ(claims.at("sub"), claims.at("uid"));
  EXPECT_EQ(claims.at("exp").to_number<std::int64_t>() - claims.at("iat").to_number<std::int64_t>(),
            900);
  EXPECT_GT(claims.at("desired_exp").to_number<std::int64_t>(),
            claims.at("exp").to_number<std::int64_t>());
  const auto& organization = claims.at("organization").as_object();
  EXPECT_EQ(organization.at("id").as_string(), institution);
  EXPECT_EQ(organization.at("name").as_string(), "Comune di Valdoria");
  EXPECT_EQ(organization.at("fiscal_code").as_string(), "80012340123");
  EXPECT_EQ(organization.at("ipaCode").as_string(), "c_v001");
  const auto& role = organization.at("roles").as_array().at(0).as_object();
  EXPECT_EQ(role.at("partyRole").as_string(), "MANAGER");
  EXPECT_EQ(role.at("role").as_string(), "admin");
  EXPECT_EQ(role.at("productId").as_string(), "prod-pagopa");

  // Cached: the next requests carry the same token, not a new signature. The revocation
  // subscription clears the caches once when it comes up, which may be just after the first
  // request: wait for two equal tokens in a row, then the next one is that one too.
  const auto next_token = [&] {
    return echoed(client.get("/pagopa/y", with_cookie(cookie))).value("X-Varco-Identity-Token");
  };
  std::string cached;
  ASSERT_TRUE(eventually([&] {
    cached = next_token();
    return !cached.empty() && next_token() == cached;
  }));
  EXPECT_EQ(next_token(), cached);
  // Another environment is another audience.
  const auto other = http_get(port(), "/pagopa-produzione/y", with_cookie(cookie));
  const auto other_check =
      check_jwt(echoed(other).value("X-Varco-Identity-Token"), jwks_answer.body);
  ASSERT_TRUE(other_check);
  EXPECT_EQ(other_check->claims.at("aud").as_string(), "pagopa-produzione");
}

TEST_F(claims, the_policy_refuses_with_a_reason_and_the_product_sees_nothing) {
  struct refusal {
    const char* user;
    const char* party;
    const char* path;
    const char* reason;
  };
  const refusal cases[] = {
      {manager_cf, partner, "/pagopa/x", "not_a_member"},  // wrong party
      {operator_cf, institution, "/pagopa/admin/users",
       "product_role_required"},  // operator, admin path
      {operator_cf, institution, "/pagopa-produzione/x", "environment_not_allowed"},
      {manager_cf, "", "/pagopa/x", "no_party_selected"},
  };
  for (const auto& c : cases) {
    const auto cookie = stack.cookie_for(c.user, c.party, {{"prod-pagopa", "collaudo"}});
    const auto answer = http_get(port(), c.path, as_api(with_cookie(cookie)));
    EXPECT_EQ(answer.status, 403u) << c.path;
    EXPECT_EQ(json_field(answer.body, "error"), c.reason) << c.path;
    EXPECT_EQ(json_field(answer.body, "product"), "prod-pagopa");
    const auto page = http_get(port(), c.path, as_browser(with_cookie(cookie)));
    EXPECT_EQ(page.status, 403u);
    EXPECT_NE(page.body.find("<html"), std::string::npos);
  }
  EXPECT_EQ(stack.pagopa_collaudo.connections() + stack.pagopa_produzione.connections(), 0u);
  // The operator does reach the non-admin paths of collaudo.
  const auto cookie = stack.cookie_for(operator_cf, institution, {{"prod-pagopa", "collaudo"}});
  EXPECT_EQ(http_get(port(), "/pagopa/administrator", with_cookie(cookie)).status, 200u);
}

TEST(gateway_session_expiry, idle_sessions_and_sessions_past_their_absolute_lifetime_are_refused) {
  gateway_options options;
  options.idle_timeout = "1s";
  options.absolute_timeout = "1h";
  options.cache_ttl = "0s";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();

  session_spec idle;
  idle.fiscal_number = manager_cf;
  idle.party = institution;
  idle.environments = {{"prod-pagopa", "collaudo"}};
  idle.idle_timeout = std::chrono::seconds(1);
  const auto idle_cookie = create_session(stack.redis.port(), idle);
  ASSERT_EQ(http_get(port, "/pagopa/x", as_api(with_cookie(idle_cookie))).status, 200u);
  // Unused for longer than the idle timeout: gone.
  EXPECT_TRUE(eventually(
      [&] { return http_get(port, "/pagopa/x", as_api(with_cookie(idle_cookie))).status == 401; },
      std::chrono::seconds(3), std::chrono::milliseconds(1100)));

  session_spec old = idle;
  old.created_ago = std::chrono::hours(2);  // beyond absolute_timeout, though alive in the store
  old.idle_timeout = std::chrono::minutes(10);
  const auto old_cookie = create_session(stack.redis.port(), old);
  EXPECT_EQ(http_get(port, "/pagopa/x", as_api(with_cookie(old_cookie))).status, 401u);
}

}  // namespace
}  // namespace varco::integration
