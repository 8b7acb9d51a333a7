// The logouts of OpenID Connect sessions against the independent provider: Esci ends the
// session here, revokes the access token and sends the browser to the provider's
// end_session_endpoint with the ID Token as hint, from which it comes back to /oidc/logged-out;
// the provider's back-channel logout_token ends the session on varco; forged, replayed or
// malformed logout tokens are refused with 400 and a reason.
#include "tests/integration/oidc_stack.hpp"
#include "tests/integration/saml_flows.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>

namespace varco::integration {
namespace {

// The CSRF token of the signed-in page's Esci form.
std::string csrf_of(const std::string& page) {
  for (const auto& form : parse_forms(page))
    if (form.action == "/logout") return form.field("csrf");
  return {};
}

TEST(oidc_logout, esci_ends_the_session_revokes_and_logs_out_at_the_provider) {
  oidc_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b).status, 303u) << stack.varco->output();
  auto area = b.get(stack.url("/area"));
  ASSERT_EQ(area.status, 200u);
  const auto csrf = csrf_of(area.body);
  ASSERT_FALSE(csrf.empty()) << area.body;

  auto esci = b.post_form(stack.url("/logout"), {{"csrf", csrf}});
  ASSERT_EQ(esci.status, 303u) << esci.body << stack.varco->output();
  const auto end_session = esci.header("Location");
  EXPECT_EQ(end_session.rfind(stack.op->issuer(), 0), 0u) << end_session;
  EXPECT_NE(end_session.find("id_token_hint="), std::string::npos);
  EXPECT_NE(end_session.find("post_logout_redirect_uri="), std::string::npos);
  // The session is gone before the provider is even asked.
  EXPECT_EQ(b.get(stack.url("/area")).status, 302u);

  // At the provider and back to varco's page (the provider confirms without a question).
  auto response = b.get(end_session);
  for (int step = 0; step < 8 && response.status >= 300 && response.status < 400; ++step)
    response = b.get(response.header("Location"), stack.op->port());
  for (int step = 0; step < 4 && response.status == 200 && !parse_forms(response.body).empty() &&
                     response.body.find("logged-out") == std::string::npos;
       ++step) {
    response = b.submit(parse_forms(response.body).front(), stack.op->port());
    while (response.status >= 300 && response.status < 400)
      response = b.get(response.header("Location"), stack.op->port());
  }
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_NE(b.last_port(), stack.op->port()) << "the browser did not come back to varco";

  const auto audit = stack.audit_text();
  EXPECT_NE(audit.find("oidc_logout"), std::string::npos);
  EXPECT_NE(audit.find("\"revoked\":true"), std::string::npos) << stack.varco->output();
}

TEST(oidc_logout, the_providers_back_channel_logout_ends_the_session) {
  oidc_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b).status, 303u) << stack.varco->output();
  ASSERT_EQ(b.get(stack.url("/area")).status, 200u);
  const auto varco_cookie = b.cookie(session_cookie);
  ASSERT_TRUE(varco_cookie);

  // The user logs out at the provider itself (another RP's Esci, or the provider's own page):
  // its end_session_endpoint without varco's hint, then the provider tells varco.
  auto response = b.get(stack.op->issuer() + "/session/end");
  for (int step = 0; step < 6; ++step) {
    if (response.status >= 300 && response.status < 400) {
      response = b.get(response.header("Location"), stack.op->port());
    } else if (response.status == 200 && !parse_forms(response.body).empty()) {
      response = b.submit(parse_forms(response.body).front(), stack.op->port());
    } else {
      break;
    }
  }
  // The logout_token arrives on varco's back channel; the session ends on the store.
  b.set_cookie(session_cookie, *varco_cookie);
  EXPECT_TRUE(eventually([&] { return b.get(stack.url("/area")).status == 302u; }))
      << stack.varco->output() << stack.op->output();
  EXPECT_NE(stack.audit_text().find("oidc_backchannel_logout"), std::string::npos);
}

TEST(oidc_logout, forged_or_malformed_logout_tokens_are_refused) {
  oidc_stack stack;
  auto post = [&](const std::string& body) {
    return http_request(stack.port(), boost::beast::http::verb::post, "/oidc/backchannel-logout",
                        {{"Content-Type", "application/x-www-form-urlencoded"}}, body);
  };
  auto missing = post("nothing=here");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_NE(missing.body.find("logout_token_missing"), std::string::npos) << missing.body;
  auto garbage = post("logout_token=not.a.jwt");
  EXPECT_EQ(garbage.status, 400u);
  EXPECT_NE(garbage.body.find("invalid_request"), std::string::npos) << garbage.body;
  // alg none, claiming to be the provider: refused before any session is looked at.
  const std::string none = "eyJhbGciOiJub25lIn0."  // {"alg":"none"}
                           +
                           [&] {
                             const std::string payload =
                                 R"({"iss":")" + stack.op->issuer() +
                                 R"(","aud":"x","iat":1,"jti":"j","sub":"s","events":{}})";
                             std::string out;
                             static constexpr char table[] =
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                             unsigned bits = 0;
                             int count = 0;
                             for (unsigned char c : payload) {
                               bits = (bits << 8) | c;
                               count += 8;
                               while (count >= 6) {
                                 count -= 6;
                                 out += table[(bits >> count) & 63];
                               }
                             }
                             if (count > 0) out += table[(bits << (6 - count)) & 63];
                             return out;
                           }() +
                           ".";
  auto forged = post("logout_token=" + none);
  EXPECT_EQ(forged.status, 400u);
  EXPECT_NE(forged.body.find("alg_none"), std::string::npos) << forged.body;
  EXPECT_NE(stack.varco->output().find("reason=alg_none"), std::string::npos);
}

}  // namespace
}  // namespace varco::integration
