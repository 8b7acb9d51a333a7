// SPID login end to end against an independent IdP (pysaml2): both AuthnRequest bindings, the
// Response accepted into a fresh session that reaches a proxied portal with the right claims,
// anomalies, replays, another browser's Response, and Single Logout in both directions (leaving no
// SLO index set behind in Redis).
#include "session/session_id.hpp"
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace varco::integration {
namespace {

const std::string session_cookie = "varco_session";

// --- the SLO index as Redis holds it, read directly rather than through varco -----------------

struct redis_context_free {
  void operator()(redisContext* c) const noexcept { redisFree(c); }
};
struct redis_reply_free {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using redis_context_ptr = std::unique_ptr<redisContext, redis_context_free>;
using redis_reply_ptr = std::unique_ptr<redisReply, redis_reply_free>;

redis_context_ptr redis_connect(std::uint16_t port) {
  redis_context_ptr context(redisConnect("127.0.0.1", port));
  if (!context || context->err) throw std::runtime_error("cannot connect to Redis");
  return context;
}

redis_reply_ptr redis_command(redisContext* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  redis_reply_ptr reply(static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (!reply || reply->type == REDIS_REPLY_ERROR)
    throw std::runtime_error("Redis " + args.front() + " failed");
  return reply;
}

// Every SLO index set of the stack's varco (`<prefix>slo:*`) with its members (session keys).
std::map<std::string, std::set<std::string>> slo_indexes(const saml_stack& stack) {
  auto context = redis_connect(stack.redis_port);
  std::map<std::string, std::set<std::string>> indexes;
  std::string cursor = "0";
  do {
    auto page = redis_command(context.get(), {"SCAN", cursor, "MATCH",
                                              stack.redis_key_prefix + "slo:*", "COUNT", "1000"});
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2)
      throw std::runtime_error("unexpected SCAN reply");
    cursor.assign(page->element[0]->str, page->element[0]->len);
    const redisReply* keys = page->element[1];
    for (std::size_t i = 0; i < keys->elements; ++i)
      indexes[std::string(keys->element[i]->str, keys->element[i]->len)];
  } while (cursor != "0");
  for (auto& [key, members] : indexes) {
    auto reply = redis_command(context.get(), {"SMEMBERS", key});
    for (std::size_t i = 0; i < reply->elements; ++i)
      members.emplace(reply->element[i]->str, reply->element[i]->len);
  }
  return indexes;
}

// The Esci form's CSRF token, from the Area Riservata.
std::string logout_csrf(saml_stack& stack, test::browser& b) {
  std::string csrf;
  for (const auto& f : parse_forms(b.get(stack.url("/area")).body)) {
    if (f.action == "/logout") csrf = f.field("csrf");
  }
  if (csrf.empty()) throw std::runtime_error("no logout form on /area");
  return csrf;
}

// After POST /logout sent the browser to the IdP: the IdP's LogoutResponse (Redirect or POST)
// taken back to /saml/slo. Returns varco's answer.
http_response finish_logout_at_idp(saml_stack& stack, test::browser& b,
                                   const http_response& to_idp) {
  auto idp_answer = b.get(to_idp.header("Location"));
  if (idp_answer.status == 302) return b.get(idp_answer.header("Location"));
  auto forms = parse_forms(idp_answer.body);
  if (forms.empty()) throw std::runtime_error("no LogoutResponse form:\n" + idp_answer.body);
  return b.submit(forms.front(), stack.idp->port());
}

TEST(saml_login, redirect_binding_login_reaches_the_portal_with_claims) {
  saml_stack stack;
  test::browser b;
  auto acs = stack.login(b, mario_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
  // Back to where the login started, with a fresh session cookie.
  EXPECT_EQ(acs.header("Location"), "/pagopa-collaudo/home");
  ASSERT_TRUE(b.cookie(session_cookie));

  auto area = b.get(stack.url("/area"));
  ASSERT_EQ(area.status, 200u) << area.body;
  EXPECT_NE(area.body.find("Mario"), std::string::npos);
  EXPECT_NE(area.body.find(mario_cf), std::string::npos);

  auto portal = b.get(stack.url("/pagopa-collaudo/home"));
  ASSERT_EQ(portal.status, 200u) << portal.body;
  echoed seen(portal);
  EXPECT_EQ(seen.value("X-Varco-User-Fiscal-Number"), mario_cf);
  EXPECT_EQ(seen.value("X-Varco-Party-Role"), "MANAGER");
  EXPECT_EQ(seen.value("X-Varco-Environment"), "collaudo");
  EXPECT_FALSE(seen.value("X-Varco-Identity-Token").empty());
}

TEST(saml_login, post_binding_login_works_too) {
  saml_stack stack({.binding = "post"});
  test::browser b;
  auto acs = stack.login(b, mario_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
  auto area = b.get(stack.url("/area"));
  EXPECT_EQ(area.status, 200u);
}

TEST(saml_login, login_works_on_the_embedded_memory_store_too) {
  saml_stack stack({.store = "memory"});
  test::browser b;
  auto acs = stack.login(b, mario_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
  EXPECT_EQ(b.get(stack.url("/pagopa-collaudo/home")).status, 200u);
}

TEST(saml_login, user_without_memberships_logs_in_but_reaches_no_product) {
  saml_stack stack;
  test::browser b;
  auto acs = stack.login(b, giulia_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body;
  EXPECT_EQ(b.get(stack.url("/area")).status, 200u);
  EXPECT_EQ(b.get(stack.url("/pagopa-collaudo/home")).status, 403u);
}

TEST(saml_login, spid_anomaly_gets_its_courtesy_page_with_a_4xx) {
  saml_stack stack;
  test::browser b;
  auto acs = stack.login(b, mario_cf, "nr22");
  EXPECT_EQ(acs.status, 403u) << acs.body;
  EXPECT_NE(acs.body.find("consenso"), std::string::npos) << acs.body;
  EXPECT_NE(acs.body.find("href=\"/login\""), std::string::npos);
  EXPECT_FALSE(b.cookie(session_cookie));
  // The access log and counters are written just after the answer is sent: poll, do not sleep.
  EXPECT_TRUE(eventually([&] {
    return http_get(stack.port(), "/metrics").body.find("reason=\"spid_anomaly\"") !=
           std::string::npos;
  }));
}

TEST(saml_login, replayed_response_is_refused) {
  saml_stack stack;
  test::browser b;
  auto page = stack.reach_idp_answer(b, mario_cf, "success");
  html_form form;
  for (const auto& f : parse_forms(page.body)) {
    if (f.id == "saml-response-form") form = f;
  }
  ASSERT_FALSE(form.action.empty());
  EXPECT_EQ(b.submit(form, stack.idp->port()).status, 303u);
  auto again = b.submit(form, stack.idp->port());
  EXPECT_EQ(again.status, 400u);
  EXPECT_NE(again.body.find("request_unknown_or_expired"), std::string::npos);
}

html_form saml_response_form(const http_response& page) {
  for (const auto& f : parse_forms(page.body))
    if (f.id == "saml-response-form") return f;
  ADD_FAILURE() << "no auto-post form in the IdP answer:\n" << page.body;
  return {};
}

TEST(saml_login, response_posted_from_another_browser_is_refused_and_its_own_browser_completes) {
  saml_stack stack;
  test::browser victim;
  auto page = stack.reach_idp_answer(victim, mario_cf, "success");
  const html_form form = saml_response_form(page);
  // Another browser: with no pre-login cookie, then with a well-formed one of its own.
  test::browser attacker;
  auto stolen = attacker.submit(form, stack.idp->port());
  EXPECT_EQ(stolen.status, 400u);
  EXPECT_NE(stolen.body.find("browser_mismatch"), std::string::npos) << stolen.body;
  attacker.set_cookie("varco_login", session::new_session_id());
  stolen = attacker.submit(form, stack.idp->port());
  EXPECT_EQ(stolen.status, 400u);
  EXPECT_NE(stolen.body.find("browser_mismatch"), std::string::npos) << stolen.body;
  EXPECT_FALSE(attacker.cookie(session_cookie));
  // The refusals did not use up the pending request: the browser that asked completes its login.
  auto own = victim.submit(form, stack.idp->port());
  EXPECT_EQ(own.status, 303u) << own.body;
  EXPECT_TRUE(victim.cookie(session_cookie));
  // Still single use: the same Response again, from either browser, finds nothing pending.
  auto again = victim.submit(form, stack.idp->port());
  EXPECT_EQ(again.status, 400u);
  EXPECT_NE(again.body.find("request_unknown_or_expired"), std::string::npos) << again.body;
}

TEST(saml_login, the_pre_login_cookie_is_always_chosen_by_varco) {
  saml_stack stack;
  const std::string planted = session::new_session_id();  // well-formed, known to an attacker
  test::browser victim;
  victim.set_cookie("varco_login", planted);
  auto page = stack.reach_idp_answer(victim, mario_cf, "success");
  const auto chosen = victim.cookie("varco_login");
  ASSERT_TRUE(chosen);
  EXPECT_NE(*chosen, planted) << "/saml/login kept a pre-login id the browser brought";
  EXPECT_TRUE(session::looks_like_session_id(*chosen));
  // Whoever planted the value cannot redeem the victim's Response with it.
  test::browser attacker;
  attacker.set_cookie("varco_login", planted);
  const html_form form = saml_response_form(page);
  EXPECT_NE(attacker.submit(form, stack.idp->port()).body.find("browser_mismatch"),
            std::string::npos);
  // The victim's login completes, and the finished round's pre-login cookie is cleared.
  EXPECT_EQ(victim.submit(form, stack.idp->port()).status, 303u);
  EXPECT_FALSE(victim.cookie("varco_login"));
  // Every round gets a fresh id, even when the browser still holds the previous round's.
  test::browser twice;
  const std::string login = "/saml/login?idp=" + replace_all(stack.idp->entity_id(), ":", "%3A");
  ASSERT_EQ(twice.get(stack.url(login)).status, 302u);
  const auto first = twice.cookie("varco_login");
  ASSERT_EQ(twice.get(stack.url(login)).status, 302u);
  const auto second = twice.cookie("varco_login");
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

TEST(saml_login, bad_login_requests_get_clear_errors) {
  saml_stack stack;
  auto unknown = http_get(stack.port(), "/saml/login?idp=https%3A%2F%2Fevil.example",
                          {{"Accept", "text/html"}});
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_NE(unknown.body.find("unknown_idp"), std::string::npos);
  auto level = http_get(stack.port(), "/saml/login?idp=x&level=7");
  EXPECT_EQ(level.status, 400u);
  // An open redirect through return= is not possible: the login lands on /area instead.
  test::browser b;
  auto start =
      b.get(stack.url("/saml/login?idp=" + replace_all(stack.idp->entity_id(), ":", "%3A") +
                      "&return=%2F%2Fevil.example"));
  EXPECT_EQ(start.status, 302u);
  auto acs_unsolicited = http_request(stack.port(), boost::beast::http::verb::post, "/saml/acs",
                                      {{"Content-Type", "application/x-www-form-urlencoded"}},
                                      "SAMLResponse=PHg%2B&RelayState=nope");
  EXPECT_EQ(acs_unsolicited.status, 400u);
  EXPECT_TRUE(stack.varco->running());
}

TEST(saml_login, login_page_lists_the_idp_and_cie_as_coming_soon) {
  saml_stack stack;
  auto page = http_get(stack.port(), "/login", {{"Accept", "text/html"}});
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("IdP di prova"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Entra con SPID"), std::string::npos);
  EXPECT_NE(page.body.find("Presto disponibile"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"cie-button\" disabled"), std::string::npos);
  // The same page in English, chosen with ?lang=en and then remembered.
  auto english = http_get(stack.port(), "/login?lang=en", {{"Accept", "text/html"}});
  EXPECT_NE(english.body.find("Log in with SPID"), std::string::npos);
  EXPECT_NE(english.body.find("Coming soon"), std::string::npos);
  EXPECT_EQ(english.body.find("Entra con"), std::string::npos);
  EXPECT_NE(english.header("Set-Cookie").find("varco_lang=en"), std::string::npos);
}

TEST(saml_login, cie_once_configured_works_end_to_end_like_spid) {
  saml_stack stack({.cie = true});
  auto page = http_get(stack.port(), "/login", {{"Accept", "text/html"}});
  EXPECT_EQ(page.body.find("Presto disponibile"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"cie-button\" href=\"/saml/login?idp="), std::string::npos);
  auto cie_metadata = http_get(stack.port(), "/saml/metadata/cie").body;
  EXPECT_NE(cie_metadata.find("https://www.cartaidentita.interno.gov.it/saml-extensions"),
            std::string::npos);

  test::browser b;
  auto acs = stack.login_cie(b, mario_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
  auto area = b.get(stack.url("/area"));
  ASSERT_EQ(area.status, 200u);
  EXPECT_NE(area.body.find("cie"), std::string::npos);
  auto portal = b.get(stack.url("/pagopa-collaudo/x"));
  ASSERT_EQ(portal.status, 200u);
  EXPECT_EQ(echoed(portal).value("X-Varco-User-Fiscal-Number"), mario_cf);

  EXPECT_EQ(slo_indexes(stack).size(), 1u);
  // CIE has no SAML Single Logout: Esci ends the session here and says so, no IdP round trip.
  std::string csrf;
  for (const auto& f : parse_forms(area.body)) {
    if (f.action == "/logout") csrf = f.field("csrf");
  }
  auto out = b.post_form(stack.url("/logout"), {{"csrf", csrf}});
  EXPECT_EQ(out.status, 200u);
  EXPECT_NE(out.body.find("logged-out"), std::string::npos);
  EXPECT_EQ(b.get(stack.url("/pagopa-collaudo/x")).status, 302u);  // to /login
  EXPECT_TRUE(slo_indexes(stack).empty());  // the session left its SLO index too
}

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
  auto redis = redis_connect(stack.redis_port);
  redis_command(redis.get(), {"DEL", index_key});
  redis_command(redis.get(), {"SET", index_key, "not a set", "PX", "60000"});

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

TEST(saml_audit, every_exchange_is_recorded_in_a_verifiable_chain) {
  saml_stack stack;
  test::browser b;
  ASSERT_EQ(stack.login(b, mario_cf).status, 303u);
  ASSERT_EQ(stack.login(b, mario_cf, "nr25").status, 403u);
  const std::string command =
      std::string(VARCO_BIN_DEFAULT) + " audit verify " + stack.audit_dir + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
}

}  // namespace
}  // namespace varco::integration
