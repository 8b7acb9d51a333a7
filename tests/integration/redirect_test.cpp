// Redirect-mode environments and the session-expiry loop, through a real SPID login (pysaml2 IdP)
// and the shared Redis:
// - choosing a redirect environment answers 303 to the portal's URL with a fresh ES256 token in
//   the fragment, verifiable with the published JWKS, carrying the user, party, role, product and
//   environment, aud = the product and exp = now + token_ttl; the policy and CSRF apply as for
//   proxied environments;
// - a browser whose session ended goes to the login page with a message, and after the SPID round
//   trip lands back on the page it asked for (area pages and proxied product paths alike).
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/jwt_check.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace varco::integration {
namespace {

constexpr const char* comune_id = "9f1c2a3e-0001-4a6b-9c1d-000000000001";
constexpr const char* luigi_cf = "VRDLGU85B02F205X";
// A well-formed session id that names no session: what a browser sends after its session ended.
constexpr const char* ended_session = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

// A back-office whose portal lives elsewhere: only managers may enter it.
constexpr const char* extra_products = R"(  - id: prod-backoffice
    title: Back-office pagoPA
    path_prefix: /backoffice
    required_party_roles: [MANAGER, OPERATOR]
    environments:
      - id: esterno
        label: Portale esterno
        mode: redirect
        redirect_url: 'https://backoffice.example/#selfCareToken={token}&lang={lang}&ente={party}'
        token_ttl: 90s
        party_roles: [MANAGER]
        path_prefix: /backoffice-esterno
)";

constexpr const char* directory = R"(parties:
  - {id: 9f1c2a3e-0001-4a6b-9c1d-000000000001, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-backoffice, party_role: MANAGER, product_role: admin}
  - {user: VRDLGU85B02F205X, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-backoffice, party_role: OPERATOR, product_role: operator}
)";

saml_settings redirect_settings() {
  saml_settings s;
  s.extra_products = extra_products;
  s.directory = directory;
  return s;
}

std::string csrf_of(const std::string& html) {
  for (const auto& f : parse_forms(html))
    if (f.action == "/logout") return f.field("csrf");
  return {};
}

// The value of `name` in a fragment "a=1&b=2"; "" when absent.
std::string fragment_value(const std::string& fragment, const std::string& name) {
  const std::string key = name + "=";
  for (std::size_t at = 0; at <= fragment.size();) {
    const auto end = std::min(fragment.find('&', at), fragment.size());
    if (fragment.compare(at, key.size(), key) == 0)
      return fragment.substr(at + key.size(), end - at - key.size());
    at = end + 1;
  }
  return {};
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class redirect_environment : public ::testing::Test {
 protected:
  void log_in(const std::string& user) {
    auto acs = stack.login(b, user);
    ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
    auto page = b.get(stack.url("/area"));
    ASSERT_EQ(page.status, 200u) << page.body;
    csrf = csrf_of(page.body);
    ASSERT_FALSE(csrf.empty());
  }

  saml_stack stack{redirect_settings()};
  test::browser b;
  std::string csrf;
};

TEST_F(redirect_environment, the_choice_redirects_with_a_verified_token_in_the_fragment) {
  log_in(mario_cf);
  auto page = b.get(stack.url("/area/environment?product=prod-backoffice"));
  ASSERT_EQ(page.status, 200u) << page.body;
  const auto form = form_choosing(page.body, "environments", "environment", "esterno");
  ASSERT_EQ(form.action, "/area/environment") << page.body;
  EXPECT_NE(page.body.find("id=\"env-page-1-external\""), std::string::npos);

  const auto before = now_seconds();
  auto chosen = b.submit(form, stack.port());
  ASSERT_EQ(chosen.status, 303u) << chosen.body;
  const std::string location = chosen.header("Location");
  const std::string prefix = "https://backoffice.example/#";
  ASSERT_EQ(location.rfind(prefix, 0), 0u) << location;
  const std::string fragment = location.substr(prefix.size());
  EXPECT_EQ(fragment_value(fragment, "lang"), "it");
  EXPECT_EQ(fragment_value(fragment, "ente"), comune_id);
  const std::string token = fragment_value(fragment, "selfCareToken");
  ASSERT_FALSE(token.empty()) << location;

  const auto jwks = http_get(stack.port(), "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200u);
  const auto checked = test::check_jwt(token, jwks.body);
  ASSERT_TRUE(checked) << token;
  EXPECT_TRUE(checked->signature_valid);
  const auto& claims = checked->claims;
  EXPECT_EQ(claims.at("aud").as_string(), "prod-backoffice");
  EXPECT_EQ(claims.at("fiscal_number").as_string(), mario_cf);
  EXPECT_EQ(claims.at("environment").as_string(), "esterno");
  const auto& organization = claims.at("organization").as_object();
  EXPECT_EQ(organization.at("id").as_string(), comune_id);
  const auto& role = organization.at("roles").as_array().at(0).as_object();
  EXPECT_EQ(role.at("partyRole").as_string(), "MANAGER");
  EXPECT_EQ(role.at("role").as_string(), "admin");
  EXPECT_EQ(role.at("productId").as_string(), "prod-backoffice");
  const auto iat = claims.at("iat").as_int64();
  EXPECT_EQ(claims.at("exp").as_int64() - iat, 90);  // token_ttl, not jwt.ttl (10m)
  EXPECT_GE(iat, before - 1);
  EXPECT_LE(iat, now_seconds() + 1);
  EXPECT_FALSE(claims.at("jti").as_string().empty());

  // A token per choice, never reused; and the choice is not kept for varco's own product paths.
  auto again = b.submit(form, stack.port());
  ASSERT_EQ(again.status, 303u);
  const auto second = test::check_jwt(
      fragment_value(again.header("Location").substr(prefix.size()), "selfCareToken"), jwks.body);
  ASSERT_TRUE(second);
  EXPECT_NE(second->claims.at("jti"), claims.at("jti"));
  auto product_path = b.get(stack.url("/backoffice/x"));
  EXPECT_EQ(product_path.status, 302u);
  EXPECT_EQ(product_path.header("Location").rfind("/area/environment?product=prod-backoffice", 0),
            0u);
}

TEST_F(redirect_environment, a_route_pinned_to_it_sends_a_get_to_the_choice_without_signing) {
  log_in(mario_cf);
  auto pinned = b.get(stack.url("/backoffice-esterno/x"));
  ASSERT_EQ(pinned.status, 302u) << pinned.body;
  EXPECT_EQ(pinned.header("Location"), "/area/environment?product=prod-backoffice");
  EXPECT_EQ(pinned.body.find("eyJ"), std::string::npos);
}

TEST_F(redirect_environment, csrf_is_required_and_nothing_is_signed_without_it) {
  log_in(mario_cf);
  for (const std::string& token : {std::string(), csrf + "x"}) {
    auto refused =
        b.post_form(stack.url("/area/environment"),
                    {{"csrf", token}, {"product", "prod-backoffice"}, {"environment", "esterno"}});
    EXPECT_EQ(refused.status, 403u);
    EXPECT_TRUE(refused.header("Location").empty());
    EXPECT_EQ(refused.body.find("selfCareToken"), std::string::npos);
  }
}

TEST_F(redirect_environment, an_operator_gets_the_same_403_as_for_a_proxied_environment) {
  log_in(luigi_cf);
  auto page = b.get(stack.url("/area/environment?product=prod-backoffice"));
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_TRUE(form_choosing(page.body, "environments", "environment", "esterno").action.empty())
      << page.body;
  auto forged =
      b.post_form(stack.url("/area/environment"),
                  {{"csrf", csrf}, {"product", "prod-backoffice"}, {"environment", "esterno"}});
  EXPECT_EQ(forged.status, 403u);
  EXPECT_TRUE(forged.header("Location").empty());
  auto api =
      b.post_form(stack.url("/area/environment"),
                  {{"csrf", csrf}, {"product", "prod-backoffice"}, {"environment", "esterno"}}, 0,
                  {{"Accept", "application/json"}});
  EXPECT_EQ(api.status, 403u);
  EXPECT_EQ(json_field(api.body, "error"), "environment_not_allowed");
}

// --- session expiry ---------------------------------------------------------------------------

class session_expiry : public ::testing::Test {
 protected:
  saml_stack stack{redirect_settings()};
  test::browser b;
};

TEST_F(session_expiry, an_ended_session_goes_to_login_with_a_message_and_comes_back_after_it) {
  auto first = stack.login(b, mario_cf);
  ASSERT_EQ(first.status, 303u) << first.body;
  b.set_cookie("varco_session", ended_session);

  const std::string page = "/area/environment?product=prod-pagopa";
  auto sent = b.get(stack.url(page));
  ASSERT_EQ(sent.status, 302u);
  const std::string login = sent.header("Location");
  EXPECT_EQ(login, "/login?return=%2Farea%2Fenvironment%3Fproduct%3Dprod-pagopa&expired=1");
  auto login_page = b.get(stack.url(login));
  ASSERT_EQ(login_page.status, 200u);
  EXPECT_NE(login_page.body.find("La sessione è scaduta"), std::string::npos) << login_page.body;
  // Every IdP link carries the page to come back to.
  EXPECT_NE(login_page.body.find("return=%2Farea%2Fenvironment%3Fproduct%3Dprod-pagopa"),
            std::string::npos)
      << login_page.body;

  auto acs = stack.login(b, mario_cf, "success", page);
  ASSERT_EQ(acs.status, 303u) << acs.body;
  EXPECT_EQ(acs.header("Location"), page);
  auto back = b.get(stack.url(acs.header("Location")));
  ASSERT_EQ(back.status, 200u) << back.body;
  EXPECT_NE(back.body.find("In quale ambiente vuoi entrare?"), std::string::npos);
}

TEST_F(session_expiry, a_proxied_product_path_says_expired_only_when_a_session_cookie_came) {
  auto fresh = b.get(stack.url("/pagopa/home?x=1"));
  ASSERT_EQ(fresh.status, 302u);
  EXPECT_EQ(fresh.header("Location"), "/login?return=%2Fpagopa%2Fhome%3Fx%3D1");

  b.set_cookie("varco_session", ended_session);
  auto ended = b.get(stack.url("/pagopa/home?x=1"));
  ASSERT_EQ(ended.status, 302u);
  EXPECT_EQ(ended.header("Location"), "/login?return=%2Fpagopa%2Fhome%3Fx%3D1&expired=1");

  auto acs = stack.login(b, mario_cf, "success", "/pagopa/home?x=1");
  ASSERT_EQ(acs.status, 303u) << acs.body;
  EXPECT_EQ(acs.header("Location"), "/pagopa/home?x=1");
}

}  // namespace
}  // namespace varco::integration
