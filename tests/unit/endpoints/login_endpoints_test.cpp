// The login endpoints against in-process services: the page, the refusals without SAML, Esci and
// the rate-limit answer, with no worker, socket or Redis.
#include "gateway/login/login_endpoints.hpp"

#include "endpoint_fakes.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using endpoint_testing::services_fixture;

class login_endpoints_test : public ::testing::Test {
 protected:
  login_endpoints endpoints() {
    return login_endpoints(login_services{fx.runtime_source, fx.sessions, *fx.login_state,
                                          fx.rejections, fx.audit, fx.logouts, fx.crypto});
  }

  handler_result get(reserved_endpoint endpoint, std::string target, bool json = false) {
    auto login = endpoints();
    const auto request = fx.request(http::verb::get, target);
    return fx.run(login.handle(endpoint, request.base(), fx.runtime_source.value(),
                               fx.exchange_for(target.substr(0, target.find('?')), json)));
  }

  handler_result logout(std::string cookie, std::string form) {
    auto login = endpoints();
    const auto request =
        fx.request(http::verb::post, "/logout", std::move(cookie), std::move(form));
    return fx.run(login.handle_body(reserved_endpoint::logout, request, fx.runtime_source.value(),
                                    fx.exchange_for("/logout")));
  }

  services_fixture fx;
};

TEST_F(login_endpoints_test, the_login_page_is_html_in_italian_and_never_cached) {
  auto page = get(reserved_endpoint::login_page, "/login?return=%2Farea");
  ASSERT_TRUE(page.response);
  EXPECT_EQ(page.response->result_int(), 200);
  EXPECT_EQ(page.response->at(http::field::content_type), "text/html; charset=utf-8");
  EXPECT_EQ(page.response->at(http::field::content_language), "it");
  EXPECT_EQ(page.response->at(http::field::cache_control), "no-store");
}

TEST_F(login_endpoints_test, saml_endpoints_without_a_saml_section_are_404_with_a_reason) {
  for (const auto endpoint : {reserved_endpoint::saml_login, reserved_endpoint::saml_metadata,
                              reserved_endpoint::saml_acs}) {
    auto answer = get(endpoint, "/saml/x", true);
    ASSERT_TRUE(answer.response);
    EXPECT_EQ(answer.response->result_int(), 404);
    EXPECT_EQ(answer.notes.reason, "saml_not_configured");
    EXPECT_FALSE(answer.wants_body) << "no body is read for an endpoint that cannot answer";
  }
  EXPECT_TRUE(fx.audit.kinds.empty());
}

TEST_F(login_endpoints_test, logout_without_a_session_says_so_and_clears_the_draft) {
  auto answer = logout({}, "csrf=x");
  ASSERT_TRUE(answer.response);
  EXPECT_EQ(answer.response->result_int(), 200);
  EXPECT_EQ(fx.logouts.calls, 1);
  bool draft_cleared = false;
  for (const auto& field : *answer.response) {
    if (field.name() == http::field::set_cookie && field.value().starts_with("varco_draft="))
      draft_cleared = true;
  }
  EXPECT_TRUE(draft_cleared);
}

TEST_F(login_endpoints_test, logout_with_a_foreign_token_is_refused_and_the_session_lives) {
  const auto cookie = fx.sign_in();
  auto answer = logout(cookie, "csrf=not-the-sessions");
  ASSERT_TRUE(answer.response);
  EXPECT_EQ(answer.response->result_int(), 403);
  EXPECT_EQ(answer.notes.reason, "csrf_invalid");
  EXPECT_EQ(fx.logouts.calls, 0) << "a refusal keeps the draft";
  auto still = fx.run(fx.sessions.find_shared(cookie));
  ASSERT_TRUE(still);
  EXPECT_TRUE(*still);
}

TEST_F(login_endpoints_test, logout_ends_the_session_everywhere) {
  const auto cookie = fx.sign_in();
  auto answer = logout(cookie, "csrf=" + fx.csrf_of(cookie));
  ASSERT_TRUE(answer.response);
  EXPECT_LT(answer.response->result_int(), 400);
  EXPECT_EQ(fx.logouts.calls, 1);
  auto gone = fx.run(fx.sessions.find_shared(cookie));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
}

TEST_F(login_endpoints_test, a_request_over_its_limit_gets_429_with_retry_after_and_is_counted) {
  auto login = endpoints();
  rate_check over;
  over.outcome = rate_check::verdict::limited;
  over.retry_after = std::chrono::seconds(42);
  auto answer = login.rate_limited(fx.exchange_for("/saml/login", true), over);
  ASSERT_TRUE(answer.response);
  EXPECT_EQ(answer.response->result_int(), 429);
  EXPECT_EQ(answer.response->at(http::field::retry_after), "42");
  ASSERT_EQ(fx.rejections.reasons.size(), 1U);
  EXPECT_EQ(fx.rejections.reasons.front(), "rate_limited");

  rate_check uncounted;
  uncounted.outcome = rate_check::verdict::store_failed;
  auto refused = login.rate_limited(fx.exchange_for("/saml/login", true), uncounted);
  EXPECT_EQ(refused.response->result_int(), 503) << "a limit that cannot be counted is not waived";
}

}  // namespace
}  // namespace varco::gateway
