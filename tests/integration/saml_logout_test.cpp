// Single Logout end to end against the independent IdP (pysaml2): SP-initiated (CSRF-checked Esci,
// the IdP's LogoutResponse back), IdP-initiated by Redirect and POST (signed answers), and the SLO
// index in Redis that must never outlive the sessions it names.
#include "session/session_id.hpp"
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_flows.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>

namespace varco::integration {
namespace {

TEST(saml_logout, sp_initiated_logout_ends_the_session_and_completes_at_the_idp) {
  saml_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u);
  const std::string old_cookie = *b.cookie(session_cookie);
  auto area = b.get(stack.url("/area"));
  std::string csrf;
  for (const auto& f : parse_forms(area.body)) {
    if (f.action == "/logout") csrf = f.field("csrf");
  }
  ASSERT_FALSE(csrf.empty());

  // Without the CSRF token nothing happens.
  EXPECT_EQ(b.post_form(stack.url("/logout"), {}).status, 403u);
  EXPECT_EQ(b.get(stack.url("/area")).status, 200u);

  auto to_idp = b.post_form(stack.url("/logout"), {{"csrf", csrf}});
  ASSERT_EQ(to_idp.status, 302u) << to_idp.body;
  EXPECT_NE(to_idp.header("Location").find("SAMLRequest="), std::string::npos);
  EXPECT_FALSE(b.cookie(session_cookie));  // expired at once
  // The IdP answers with its LogoutResponse (Redirect or POST) to /saml/slo.
  auto done = finish_logout_at_idp(stack, b, to_idp);
  EXPECT_EQ(done.status, 200u) << done.body;
  EXPECT_NE(done.body.find("logged-out"), std::string::npos);

  // The old cookie is refused everywhere.
  auto replayed =
      http_get(stack.port(), "/pagopa-collaudo/home",
               {{"Cookie", session_cookie + "=" + old_cookie}, {"Accept", "application/json"}});
  EXPECT_EQ(replayed.status, 401u);
}

// A LogoutResponse for another request, posted with this logout's RelayState, is refused without
// using up the pending LogoutRequest: the IdP's real answer still completes the logout.
TEST(saml_logout, an_answer_to_another_logout_does_not_use_up_the_pending_one) {
  saml_stack stack;
  test::browser first, second;
  ASSERT_EQ(stack.login(first, mario_cf).status, 303u);
  ASSERT_EQ(stack.login(second, mario_cf).status, 303u);
  auto first_out = first.post_form(stack.url("/logout"), {{"csrf", logout_csrf(stack, first)}});
  auto second_out = second.post_form(stack.url("/logout"), {{"csrf", logout_csrf(stack, second)}});
  ASSERT_EQ(first_out.status, 302u);
  ASSERT_EQ(second_out.status, 302u);
  // The IdP's answers, not yet delivered: its auto-post forms (POST) or redirects (Redirect).
  auto first_answer = first.get(first_out.header("Location"));
  auto second_answer = second.get(second_out.header("Location"));
  if (first_answer.status == 302) {
    // Redirect binding: the RelayState is under the signature, so a swapped one fails there.
    std::string swapped = first_answer.header("Location");
    const auto relay_at = swapped.find("RelayState=");
    ASSERT_NE(relay_at, std::string::npos);
    const std::string second_url = second_answer.header("Location");
    const auto second_relay = second_url.substr(second_url.find("RelayState=") + 11);
    swapped = swapped.substr(0, relay_at + 11) + second_relay.substr(0, second_relay.find('&')) +
              swapped.substr(std::min(swapped.find('&', relay_at), swapped.size()));
    EXPECT_EQ(first.get(swapped).status, 400u);
    auto done = second.get(second_url);
    EXPECT_EQ(done.status, 200u) << done.body;
    EXPECT_NE(done.body.find("logged-out"), std::string::npos);
    return;
  }
  // POST binding: the first answer posted with the second logout's RelayState.
  auto first_forms = parse_forms(first_answer.body);
  auto second_forms = parse_forms(second_answer.body);
  ASSERT_FALSE(first_forms.empty());
  ASSERT_FALSE(second_forms.empty());
  html_form crossed = first_forms.front();
  for (auto& [name, value] : crossed.fields)
    if (name == "RelayState") value = second_forms.front().field("RelayState");
  auto refused = first.submit(crossed, stack.idp->port());
  EXPECT_EQ(refused.status, 400u);
  EXPECT_NE(refused.body.find("logout_request_unknown"), std::string::npos) << refused.body;
  auto done = second.submit(second_forms.front(), stack.idp->port());
  EXPECT_EQ(done.status, 200u) << done.body;
  EXPECT_NE(done.body.find("logged-out"), std::string::npos);
}

// The soak test's leak: each login adds its session to an SLO index set that outlived the logout
// until sessions.absolute_timeout.
TEST(saml_logout, sp_initiated_logout_leaves_no_slo_index_behind) {
  saml_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u) << stack.varco->output();
  // Logged in: exactly one index, holding this session.
  const auto indexed = slo_indexes(stack);
  ASSERT_EQ(indexed.size(), 1u);
  EXPECT_EQ(indexed.begin()->second,
            std::set<std::string>{session::session_key(*b.cookie(session_cookie))});

  auto to_idp = b.post_form(stack.url("/logout"), {{"csrf", logout_csrf(stack, b)}});
  ASSERT_EQ(to_idp.status, 302u) << to_idp.body;
  // Gone as soon as the logout answers, before the IdP has said anything…
  EXPECT_TRUE(slo_indexes(stack).empty());
  // …and still gone once the IdP's LogoutResponse is back.
  auto done = finish_logout_at_idp(stack, b, to_idp);
  EXPECT_EQ(done.status, 200u) << done.body;
  EXPECT_TRUE(slo_indexes(stack).empty());
}

TEST(saml_logout, a_new_login_takes_the_replaced_session_out_of_the_slo_index) {
  saml_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u) << stack.varco->output();
  const std::string first = *b.cookie(session_cookie);
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u) << stack.varco->output();
  const std::string second = *b.cookie(session_cookie);
  ASSERT_NE(first, second);
  // The first session ended at the second login: only the second is indexed.
  std::set<std::string> members;
  for (const auto& [key, in_index] : slo_indexes(stack))
    members.insert(in_index.begin(), in_index.end());
  EXPECT_EQ(members, std::set<std::string>{session::session_key(second)});
}

TEST(saml_logout, logout_succeeds_when_the_slo_index_cannot_be_cleaned) {
  saml_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u) << stack.varco->output();
  const auto indexed = slo_indexes(stack);
  ASSERT_EQ(indexed.size(), 1u);
  // The index key made a string: SREM fails on it (WRONGTYPE), as a store error would.
  const std::string index_key = indexed.begin()->first;
  redis_client redis(stack.redis_port);
  redis.checked_command({"DEL", index_key});
  redis.checked_command({"SET", index_key, "not a set", "PX", "60000"});

  const std::string cookie = *b.cookie(session_cookie);
  auto to_idp = b.post_form(stack.url("/logout"), {{"csrf", logout_csrf(stack, b)}});
  ASSERT_EQ(to_idp.status, 302u) << to_idp.body << stack.varco->output();
  EXPECT_NE(to_idp.header("Location").find("SAMLRequest="), std::string::npos);
  auto replayed =
      http_get(stack.port(), "/area",
               {{"Cookie", session_cookie + "=" + cookie}, {"Accept", "application/json"}});
  EXPECT_EQ(replayed.status, 401u);  // the session ended all the same
  EXPECT_TRUE(eventually([&] {
    return stack.varco->output().find("reason=slo_index_cleanup_failed") != std::string::npos;
  })) << stack.varco->output();
  EXPECT_EQ(http_get(stack.port(), "/login").status, 200u);  // and varco keeps serving
}

// IdP-initiated logout over `binding` (the IdP's LogoutRequest by Redirect or by POST).
void idp_initiated_logout(const std::string& binding) {
  saml_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u);
  const std::string cookie = *b.cookie(session_cookie);
  ASSERT_EQ(b.get(stack.url("/area")).status, 200u);

  test::browser idp_user;  // the IdP's own logout page
  auto initiate =
      idp_user.get("http://127.0.0.1:" + std::to_string(stack.idp->port()) +
                   "/slo/initiate?user=" + mario_cf + (binding == "post" ? "&binding=post" : ""));
  http_response at_varco;
  if (binding == "post") {
    ASSERT_EQ(initiate.status, 200u) << initiate.body << stack.idp->output();
    auto forms = parse_forms(initiate.body);
    ASSERT_FALSE(forms.empty()) << initiate.body;
    EXPECT_NE(forms.front().field("SAMLRequest"), "");
    at_varco = idp_user.submit(forms.front(), stack.idp->port());
  } else {
    ASSERT_EQ(initiate.status, 302u) << initiate.body << stack.idp->output();
    at_varco = idp_user.get(initiate.header("Location"));
  }
  // varco answers with its signed LogoutResponse, which the IdP verifies.
  ASSERT_TRUE(at_varco.status == 302u || at_varco.status == 200u) << at_varco.body;
  http_response completed;
  if (at_varco.status == 302u) {
    completed = idp_user.get(at_varco.header("Location"));
  } else {
    auto forms = parse_forms(at_varco.body);
    ASSERT_FALSE(forms.empty());
    completed = idp_user.submit(forms.front(), stack.port());
  }
  EXPECT_EQ(completed.status, 200u) << completed.body << stack.idp->output();

  auto after =
      http_get(stack.port(), "/area",
               {{"Cookie", session_cookie + "=" + cookie}, {"Accept", "application/json"}});
  EXPECT_EQ(after.status, 401u);
  EXPECT_TRUE(slo_indexes(stack).empty());  // taken whole by the LogoutRequest
}

TEST(saml_logout, idp_initiated_logout_by_redirect_ends_the_session_and_answers_signed) {
  idp_initiated_logout("redirect");
}

TEST(saml_logout, idp_initiated_logout_by_post_ends_the_session_and_answers_signed) {
  idp_initiated_logout("post");
}

}  // namespace
}  // namespace varco::integration
