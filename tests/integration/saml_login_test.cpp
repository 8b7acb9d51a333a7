// SPID login end to end against an independent IdP (pysaml2): both AuthnRequest bindings, the
// Response accepted into a fresh session that reaches a proxied portal with the right claims,
// anomalies, replays, another browser's Response, the pre-login cookie, CIE, and the audit chain.
// Single Logout is in saml_logout_test.cpp.
#include "session/session_id.hpp"
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_flows.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace varco::integration {
namespace {

// The value of one sample line of /metrics ("name{labels} value"); -1 when it is not there.
double metric_value(const std::string& metrics, const std::string& sample) {
  const auto at = metrics.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + sample.size() + 2));
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
  // The AuthnRequest's XML signature and the Response's checks ran on the crypto pool.
  const auto metrics = http_get(stack.port(), "/metrics").body;
  EXPECT_EQ(metric_value(metrics, R"(varco_crypto_jobs_total{outcome="done"})"), 2) << metrics;
  EXPECT_EQ(metric_value(metrics, R"(varco_crypto_jobs_total{outcome="refused"})"), 0);
  EXPECT_EQ(metric_value(metrics, "varco_crypto_queue"), 0);
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

TEST(saml_login, response_posted_from_another_browser_is_refused_and_its_own_browser_completes) {
  saml_stack stack;
  test::browser victim;
  auto page = stack.reach_idp_answer(victim, mario_cf, "success");
  const html_form form = response_form_of(page);
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
  const html_form form = response_form_of(page);
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
