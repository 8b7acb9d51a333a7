// Rate limits of /saml/login, /saml/acs and the Area Riservata forms, on a real varco with the
// demo pysaml2 IdP and a real Redis: counted per client address (and per IdP), answered 429 with
// Retry-After, and shared by two instances on one Redis.
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace varco::integration {
namespace {

saml_settings limited(const std::string& limits) {
  saml_settings s;
  s.extra_config = "rate_limits:\n" + limits;
  return s;
}

std::string login_target(const saml_stack& stack) {
  return "/saml/login?idp=" + replace_all(stack.idp->entity_id(), ":", "%3A");
}

TEST(rate_limits, logins_from_one_address_are_limited_across_instances) {
  saml_stack stack(limited("  login: {requests: 4, window: 1h}\n"));
  auto second = stack.another_instance();
  const auto target = login_target(stack);
  // Four logins started, alternating instances: all go to the IdP.
  for (int i = 0; i < 4; ++i) {
    const auto port = i % 2 == 0 ? stack.port() : second->port();
    EXPECT_EQ(http_get(port, target).status, 302u) << i;
  }
  // The fifth, on either instance, is refused until the window ends.
  for (const auto port : {stack.port(), second->port()}) {
    const auto refused = http_get(port, target, {{"Accept", "text/html"}});
    EXPECT_EQ(refused.status, 429u);
    const int retry_after = std::atoi(refused.header("Retry-After").c_str());
    EXPECT_GE(retry_after, 1);
    EXPECT_LE(retry_after, 3600);
    EXPECT_NE(refused.body.find("rate_limited"), std::string::npos);
    EXPECT_NE(refused.body.find("Troppi tentativi"), std::string::npos);
  }
  const auto api = http_get(stack.port(), target, {{"Accept", "application/json"}});
  EXPECT_EQ(api.status, 429u);
  EXPECT_NE(api.body.find("\"rate_limited\""), std::string::npos);
  EXPECT_NE(stack.varco->output().find("\"reason\":\"rate_limited\""), std::string::npos);
  // Other endpoints are not counted: the login page still answers.
  EXPECT_EQ(http_get(stack.port(), "/login").status, 200u);
}

TEST(rate_limits, logins_towards_one_idp_are_limited_over_all_clients) {
  saml_stack stack(
      limited("  login: {requests: 100, window: 1h}\n"
              "  login_per_idp: {requests: 2, window: 1h}\n"));
  const auto target = login_target(stack);
  EXPECT_EQ(http_get(stack.port(), target).status, 302u);
  EXPECT_EQ(http_get(stack.port(), target).status, 302u);
  EXPECT_EQ(http_get(stack.port(), target).status, 429u);
  // An IdP nobody configured is refused as unknown, and never counted.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(http_get(stack.port(), "/saml/login?idp=https%3A%2F%2Fevil.example").status, 400u);
}

TEST(rate_limits, assertion_posts_from_one_address_are_limited) {
  saml_stack stack(limited("  acs: {requests: 3, window: 1h}\n"));
  for (int i = 0; i < 3; ++i) {
    const auto answer = http_request(stack.port(), boost::beast::http::verb::post, "/saml/acs",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}},
                                     "SAMLResponse=bm90IGEgcmVzcG9uc2U%3D");
    EXPECT_NE(answer.status, 429u) << i;  // refused for what it is (not a Response), not counted
  }
  const auto limited_answer =
      http_request(stack.port(), boost::beast::http::verb::post, "/saml/acs",
                   {{"Content-Type", "application/x-www-form-urlencoded"}},
                   "SAMLResponse=bm90IGEgcmVzcG9uc2U%3D");
  EXPECT_EQ(limited_answer.status, 429u);
  EXPECT_FALSE(limited_answer.header("Retry-After").empty());
}

TEST(rate_limits, a_limit_set_to_zero_is_off) {
  saml_stack stack(limited("  login: {requests: 0, window: 1m}\n"));
  const auto target = login_target(stack);
  for (int i = 0; i < 40; ++i) ASSERT_EQ(http_get(stack.port(), target).status, 302u) << i;
}

}  // namespace
}  // namespace varco::integration
