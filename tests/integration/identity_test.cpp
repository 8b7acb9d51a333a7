// What reaches the product about the user: only the gateway's identity headers (never a
// client's copy, in any spelling), no session cookie, and an ES256 token that verifies against
// the published JWKS with the Self Care claims.
#include "base/base64.hpp"
#include "base/openssl_handles.hpp"
#include "tests/integration/integration_stack.hpp"
#include "tests/support/jwt_check.hpp"

#include <boost/json.hpp>

namespace varco::integration {
namespace {

class identity : public ::testing::Test {
 protected:
  stack s;
};

TEST_F(identity, client_sent_identity_headers_are_removed_in_every_spelling) {
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const header_list spoofed = {
      {"X-Varco-User-Fiscal-Number", "SPOOF1"},
      {"x-varco-user-fiscal-number", "SPOOF2"},
      {"X_VARCO_USER_FISCAL_NUMBER", "SPOOF3"},
      {"X-Varco_User-Fiscal-Number", "SPOOF4"},
      {"X-Varco-User-Fiscal-Number", "SPOOF5"},  // a duplicate
      {"X-VARCO-PARTY-ROLE", "SPOOF6"},
      {"x_varco_environment", "SPOOF7"},
      {"X-Varco-Identity-Token", "SPOOF8.forged.token"},
      {"X-Forwarded-For", "203.0.113.9"},
      {"Cookie", "lingua=it"},
      {"Cookie", "tema=scuro"},
  };
  const auto answer = http_get(s.port(), "/pagopa/x", with_cookie(id, spoofed));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  const echoed seen(answer);
  EXPECT_EQ(seen.values("X-Varco-User-Fiscal-Number"), std::vector<std::string>{manager_cf});
  EXPECT_EQ(seen.values("X-Varco-Party-Role"), std::vector<std::string>{"MANAGER"});
  EXPECT_EQ(seen.values("X-Varco-Environment"), std::vector<std::string>{"collaudo"});
  EXPECT_EQ(seen.values("X-Varco-Party-Id"), std::vector<std::string>{institution});
  EXPECT_EQ(seen.values("X-Varco-User-Name"), std::vector<std::string>{"Mario"});
  ASSERT_EQ(seen.values("X-Varco-Identity-Token").size(), 1u);
  EXPECT_EQ(seen.value("X-Varco-Identity-Token").find("SPOOF"), std::string::npos);
  for (const auto& [name, value] : seen.headers) {
    EXPECT_EQ(value.find("SPOOF"), std::string::npos) << name << ": " << value;
    EXPECT_EQ(name.find('_'), std::string::npos) << name;
  }
  // No session cookie upstream; the product's own cookies pass.
  std::string cookies;
  for (const auto& value : seen.values("Cookie")) cookies += value + ";";
  EXPECT_EQ(cookies.find("varco_session"), std::string::npos) << cookies;
  EXPECT_NE(cookies.find("lingua=it"), std::string::npos) << cookies;
  EXPECT_NE(cookies.find("tema=scuro"), std::string::npos) << cookies;
  // The client is no trusted proxy: its X-Forwarded-For is replaced by its own address.
  EXPECT_EQ(seen.values("X-Forwarded-For"), std::vector<std::string>{"127.0.0.1"});
  // The request id travels to the product and back to the client.
  EXPECT_FALSE(seen.value("X-Request-Id").empty());
  EXPECT_EQ(seen.value("X-Request-Id"), answer.header("X-Request-Id"));
}

// The user's e-mail reaching the product is their work e-mail at the party they act for (the
// directory's), else the one the identity provider released (the session's).
TEST_F(identity, the_email_is_the_work_email_at_the_party_else_the_spid_one) {
  const auto manager = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto with_work_email = http_get(s.port(), "/pagopa/x", with_cookie(manager));
  ASSERT_EQ(with_work_email.status, 200u) << with_work_email.body;
  const echoed seen(with_work_email);
  EXPECT_EQ(seen.values("X-Varco-User-Email"), std::vector<std::string>{manager_work_email});
  const std::string jwks = http_get(s.port(), "/.well-known/jwks.json").body;
  const auto token = check_jwt(seen.value("X-Varco-Identity-Token"), jwks);
  ASSERT_TRUE(token);
  EXPECT_EQ(token->claims.at("email").as_string(), manager_work_email);
  EXPECT_EQ(token->claims.at("organization").at("id").as_string(), institution);

  const auto operator_ = s.session_for(operator_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto without = http_get(s.port(), "/pagopa/x", with_cookie(operator_));
  ASSERT_EQ(without.status, 200u) << without.body;
  const echoed fallback(without);
  const std::string spid_email = test::session_spec{}.email;
  EXPECT_EQ(fallback.values("X-Varco-User-Email"), std::vector<std::string>{spid_email});
  const auto fallback_token = check_jwt(fallback.value("X-Varco-Identity-Token"), jwks);
  ASSERT_TRUE(fallback_token);
  EXPECT_EQ(fallback_token->claims.at("email").as_string(), spid_email);
}

TEST_F(identity, a_client_authorization_is_replaced_when_the_product_takes_the_token_there) {
  const auto id = s.session_for(manager_cf, institution, {{"prod-io", "collaudo"}});
  const auto answer = http_get(s.port(), "/x",
                               with_cookie(id, {{"Host", "io.example.test"},
                                                {"Authorization", "Bearer forged"},
                                                {"authorization", "Basic YTpi"},
                                                {"AUTHORIZATION", "Bearer again"}}));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  const auto values = echoed(answer).values("Authorization");
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].rfind("Bearer ey", 0), 0u) << values[0];
}

TEST_F(identity, the_token_verifies_against_the_jwks_carries_the_claims_and_is_reused) {
  const auto jwks_answer = http_get(s.port(), "/.well-known/jwks.json");
  ASSERT_EQ(jwks_answer.status, 200u);
  const auto jwks = boost::json::parse(jwks_answer.body).as_object();
  const auto& jwk = jwks.at("keys").as_array().at(0).as_object();
  EXPECT_EQ(jwk.at("kty").as_string(), "EC");
  EXPECT_EQ(jwk.at("crv").as_string(), "P-256");
  EXPECT_EQ(jwk.at("kid").as_string(), "integration-key");

  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  http_client client(s.port());  // one connection: one worker, one token cache
  const auto first = client.get("/pagopa/x", with_cookie(id));
  ASSERT_EQ(first.status, 200u) << first.body;
  const std::string token = echoed(first).value("X-Varco-Identity-Token");
  ASSERT_FALSE(token.empty());
  const auto parts = check_jwt(token, jwks_answer.body);
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->signature_valid);
  std::string tampered = token;
  tampered[token.rfind('.') - 1] ^= 1;  // the last character of the signed part
  const auto tampered_parts = check_jwt(tampered, jwks_answer.body);
  EXPECT_FALSE(tampered_parts && tampered_parts->signature_valid);

  EXPECT_EQ(parts->header.at("alg").as_string(), "ES256");
  EXPECT_EQ(parts->header.at("kid").as_string(), jwk.at("kid").as_string());
  const auto& c = parts->claims;
  EXPECT_EQ(c.at("iss").as_string(), "http://varco.integration.test");
  EXPECT_EQ(c.at("aud").as_string(), "pagopa-collaudo");
  EXPECT_FALSE(c.at("sub").as_string().empty());
  EXPECT_EQ(c.at("sub"), c.at("uid"));
  EXPECT_FALSE(c.at("jti").as_string().empty());
  EXPECT_EQ(c.at("fiscal_number").as_string(), manager_cf);
  EXPECT_EQ(c.at("name").as_string(), "Mario");
  EXPECT_EQ(c.at("family_name").as_string(), "Rossi");
  EXPECT_EQ(c.at("email").as_string(), manager_work_email);
  EXPECT_EQ(c.at("environment").as_string(), "collaudo");
  const auto iat = c.at("iat").to_number<std::int64_t>();
  const auto exp = c.at("exp").to_number<std::int64_t>();
  EXPECT_EQ(exp - iat, 600);  // jwt.ttl: 10m
  EXPECT_NEAR(static_cast<double>(iat),
              static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()),
              60.0);
  EXPECT_GT(c.at("desired_exp").to_number<std::int64_t>(), exp);  // the session lives longer
  const auto& org = c.at("organization").as_object();
  EXPECT_EQ(org.at("id").as_string(), institution);
  EXPECT_EQ(org.at("name").as_string(), "Comune di Roccaverde");
  EXPECT_EQ(org.at("fiscal_code").as_string(), "80098760123");
  EXPECT_EQ(org.at("ipaCode").as_string(), "c_r001");
  const auto& roles = org.at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(roles[0].at("partyRole").as_string(), "MANAGER");
  EXPECT_EQ(roles[0].at("role").as_string(), "admin");
  EXPECT_EQ(roles[0].at("productId").as_string(), "prod-pagopa");

  // Cached: the same token, not a signature per request. The revocation subscription clears the
  // caches once when it comes up (what was published before is unknown), which may be just after
  // the first request: wait for two equal tokens in a row, then every next one is that one.
  const auto next_token = [&] {
    return echoed(client.get("/pagopa/y", with_cookie(id))).value("X-Varco-Identity-Token");
  };
  std::string cached;
  ASSERT_TRUE(test::eventually([&] {
    cached = next_token();
    return !cached.empty() && next_token() == cached;
  }));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(next_token(), cached);

  // Another environment: another audience, and still a valid signature.
  const auto other = client.get("/pagopa-produzione/y", with_cookie(id));
  ASSERT_EQ(other.status, 200u) << other.body;
  const auto other_parts =
      check_jwt(echoed(other).value("X-Varco-Identity-Token"), jwks_answer.body);
  ASSERT_TRUE(other_parts);
  EXPECT_EQ(other_parts->claims.at("aud").as_string(), "pagopa-produzione");
  EXPECT_EQ(other_parts->claims.at("environment").as_string(), "produzione");
  EXPECT_TRUE(other_parts->signature_valid);
}

}  // namespace
}  // namespace varco::integration
