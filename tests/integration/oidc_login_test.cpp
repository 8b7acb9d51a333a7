// OpenID Connect login end to end against an independent OpenID Provider (npm oidc-provider) in
// the SPID/CIE profile, found through an OpenID Federation trust chain (anchor and intermediate
// signed with npm jose), and as a plain provider found by discovery: the session, the claims on
// a proxied portal, the audit record, and the refusals (another browser's state, a replayed
// callback, an injected code, a level below the one asked for, an untrusted chain, a missing
// trust mark). Logout is in oidc_logout_test.cpp.
#include "jose/compact.hpp"
#include "tests/integration/oidc_stack.hpp"
#include "tests/integration/saml_flows.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <sys/wait.h>

namespace varco::integration {
namespace {

constexpr const char* mario = "RSSMRA80A01H501U";

// The reason code varco's error page names (data-reason or the JSON body).
bool names_reason(const http_response& r, const std::string& reason) {
  return r.body.find(reason) != std::string::npos;
}

TEST(oidc_login, federation_provider_login_reaches_the_portal_with_claims) {
  oidc_stack stack;
  test::browser b;
  auto callback = stack.login(b, "return=%2Fpagopa-collaudo%2Fhome");
  ASSERT_EQ(callback.status, 303u) << callback.body << stack.varco->output() << stack.op->output();
  EXPECT_EQ(callback.header("Location"), "/pagopa-collaudo/home");
  ASSERT_TRUE(b.cookie(session_cookie));

  auto area = b.get(stack.url("/area"));
  ASSERT_EQ(area.status, 200u) << area.body;
  EXPECT_NE(area.body.find("Mario"), std::string::npos);
  EXPECT_NE(area.body.find(mario), std::string::npos);  // TINIT- taken off

  auto portal = b.get(stack.url("/pagopa-collaudo/home"));
  ASSERT_EQ(portal.status, 200u) << portal.body;
  echoed seen(portal);
  EXPECT_EQ(seen.value("X-Varco-User-Fiscal-Number"), mario);
  EXPECT_EQ(seen.value("X-Varco-Party-Role"), "MANAGER");
  EXPECT_FALSE(seen.value("X-Varco-Identity-Token").empty());

  // The tamper-evident log holds the request and the accepted login with its ID Token.
  const auto audit = stack.audit_text();
  EXPECT_NE(audit.find("oidc_authorization_request"), std::string::npos);
  EXPECT_NE(audit.find("oidc_authentication"), std::string::npos);
  EXPECT_NE(audit.find("\"outcome\":\"accepted\""), std::string::npos);
}

TEST(oidc_login, the_entity_configuration_is_signed_and_names_the_relying_party) {
  oidc_stack stack;
  auto got = http_get(stack.port(), "/.well-known/openid-federation");
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.header("Content-Type"), "application/entity-statement+jwt");
  auto parts = jose::split_jws(got.body, jose::limits{});
  ASSERT_TRUE(parts) << got.body;
  auto claims = boost::json::parse(parts->payload).as_object();
  const std::string base = stack.url("");
  EXPECT_EQ(claims.at("iss").as_string(), base);
  EXPECT_EQ(claims.at("sub").as_string(), base);
  const auto& rp = claims.at("metadata").at("openid_relying_party").as_object();
  EXPECT_EQ(rp.at("redirect_uris").as_array().at(0).as_string(), base + "/oidc/callback");
  EXPECT_EQ(rp.at("jwks").at("keys").as_array().size(), 2u);  // signature and encryption
  EXPECT_EQ(rp.at("token_endpoint_auth_method").as_string(), "private_key_jwt");
}

TEST(oidc_login, a_callback_opened_in_another_browser_is_refused_and_spends_nothing) {
  oidc_stack stack;
  test::browser victim;
  const auto callback = stack.callback_url(victim);
  test::browser attacker;
  auto stolen = attacker.get(callback);
  EXPECT_EQ(stolen.status, 400u) << stolen.body;
  EXPECT_TRUE(names_reason(stolen, "browser_mismatch")) << stolen.body;
  EXPECT_FALSE(attacker.cookie(session_cookie));
  // The round is still the victim's to finish.
  auto own = victim.get(callback);
  EXPECT_EQ(own.status, 303u) << own.body << stack.varco->output();
}

TEST(oidc_login, a_callback_replayed_is_refused) {
  oidc_stack stack;
  test::browser b;
  const auto callback = stack.callback_url(b);
  ASSERT_EQ(b.get(callback).status, 303u) << stack.varco->output();
  auto again = b.get(callback);
  EXPECT_EQ(again.status, 400u);
  EXPECT_TRUE(names_reason(again, "request_unknown_or_expired")) << again.body;
}

TEST(oidc_login, a_code_injected_into_another_round_is_refused_by_pkce) {
  oidc_stack stack;
  test::browser victim;
  test::browser attacker;
  const auto victims = stack.callback_url(victim);
  const auto attackers = stack.callback_url(attacker);
  // The attacker's own state with the victim's code: the verifier is the attacker's round's.
  const auto code_at = victims.find("code=");
  const auto code_end = victims.find('&', code_at);
  const auto code = victims.substr(
      code_at, code_end == std::string::npos ? std::string::npos : code_end - code_at);
  std::string injected = attackers;
  const auto own_at = injected.find("code=");
  const auto own_end = injected.find('&', own_at);
  injected.replace(own_at, own_end == std::string::npos ? std::string::npos : own_end - own_at,
                   code);
  ASSERT_NE(injected, attackers);
  auto refused = attacker.get(injected);
  EXPECT_EQ(refused.status, 400u) << refused.body;
  EXPECT_TRUE(names_reason(refused, "token_refused")) << refused.body;
  EXPECT_FALSE(attacker.cookie(session_cookie));
}

TEST(oidc_login, a_level_below_the_one_asked_for_is_refused) {
  oidc_stack stack({.acr = "https://www.spid.gov.it/SpidL1"});
  test::browser b;
  auto refused = stack.login(b, "level=2");
  EXPECT_EQ(refused.status, 400u) << refused.body;
  EXPECT_TRUE(names_reason(refused, "acr_insufficient")) << refused.body;
  EXPECT_FALSE(b.cookie(session_cookie));
  EXPECT_NE(stack.audit_text().find("acr_insufficient"), std::string::npos);
  // Counted as SAML refusals are: by reason, and under the oidc route class.
  const auto metrics = http_get(stack.port(), "/metrics").body;
  EXPECT_NE(metrics.find(R"(varco_rejections_total{reason="acr_insufficient"} 1)"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(varco_http_requests_total{route="oidc",class="4xx",status="400"})"),
            std::string::npos)
      << metrics;
}

TEST(oidc_login, a_chain_to_an_anchor_with_other_keys_refuses_the_provider) {
  oidc_stack stack({.foreign_trust_anchor = true});
  test::browser b;
  auto refused = b.get(stack.url("/oidc/login?provider=" + stack.provider_id()));
  EXPECT_EQ(refused.status, 502u) << refused.body;
  // The anchor's own configuration does not verify with the keys varco was given.
  EXPECT_TRUE(names_reason(refused, "chain_untrusted")) << refused.body;
  EXPECT_TRUE(eventually([&] {
    return stack.varco->output().find("reason=chain_untrusted") != std::string::npos;
  })) << stack.varco->output();
}

TEST(oidc_login, a_required_trust_mark_the_provider_lacks_refuses_it) {
  oidc_stack stack({.extra_federation =
                        "    required_trust_marks: [https://registry.example/openid_provider]\n"});
  test::browser b;
  auto refused = b.get(stack.url("/oidc/login?provider=" + stack.provider_id()));
  EXPECT_EQ(refused.status, 502u) << refused.body;
  EXPECT_TRUE(names_reason(refused, "trust_mark_missing")) << refused.body;
}

TEST(oidc_login, an_unknown_provider_or_a_malformed_state_is_a_clear_error) {
  oidc_stack stack;
  test::browser b;
  auto unknown = b.get(stack.url("/oidc/login?provider=nope"));
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_TRUE(names_reason(unknown, "unknown_provider"));
  auto bad_state = b.get(stack.url("/oidc/callback?code=x&state=not-a-state"));
  EXPECT_EQ(bad_state.status, 400u);
  EXPECT_TRUE(names_reason(bad_state, "state_invalid"));
  // The provider ending the login (the user cancelled) is said so, not as a failure of varco.
  const auto callback = stack.callback_url(b);
  const auto state_at = callback.find("state=");
  auto state = callback.substr(state_at + 6, callback.find('&', state_at) - state_at - 6);
  auto cancelled = b.get(stack.url("/oidc/callback?error=access_denied&state=" + state));
  EXPECT_EQ(cancelled.status, 403u) << cancelled.body;
  EXPECT_TRUE(names_reason(cancelled, "login_cancelled")) << cancelled.body;
}

TEST(oidc_login, a_plain_provider_logs_in_by_discovery_with_a_client_secret) {
  oidc_stack stack({.mode = "plain"});
  test::browser b;
  auto callback = stack.login(b);
  ASSERT_EQ(callback.status, 303u) << callback.body << stack.varco->output() << stack.op->output();
  EXPECT_EQ(callback.header("Location"), "/area");
  auto portal = b.get(stack.url("/pagopa-collaudo/home"));
  ASSERT_EQ(portal.status, 200u) << portal.body;
  EXPECT_EQ(echoed(portal).value("X-Varco-User-Fiscal-Number"), mario);
}

TEST(oidc_login, a_plain_provider_takes_a_private_key_jwt_client) {
  oidc_stack stack({.mode = "plain", .client_auth = "private_key_jwt"});
  test::browser b;
  auto callback = stack.login(b);
  ASSERT_EQ(callback.status, 303u) << callback.body << stack.varco->output() << stack.op->output();
  auto portal = b.get(stack.url("/pagopa-collaudo/home"));
  ASSERT_EQ(portal.status, 200u) << portal.body;
  EXPECT_EQ(echoed(portal).value("X-Varco-User-Fiscal-Number"), mario);
}

TEST(oidc_login, the_providers_key_rotation_is_followed_on_the_unknown_kid) {
  oidc_stack stack({.mode = "plain"});
  test::browser first;
  ASSERT_EQ(stack.login(first).status, 303u) << stack.varco->output();
  // The provider signs with a new key from now on; varco's cached keys do not have it.
  auto rotated =
      http_request(stack.op->port(), boost::beast::http::verb::post, "/test/rotate-keys");
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  test::browser second;
  auto callback = stack.login(second);
  EXPECT_EQ(callback.status, 303u) << callback.body << stack.varco->output();
}

TEST(oidc_login, the_command_line_prints_the_entity_configuration_varco_serves) {
  oidc_stack stack;
  const fs::path printed = stack.files / "printed.txt";
  const pid_t pid = spawn_process(VARCO_BIN_DEFAULT,
                                  {"varco", "entity-configuration", "--config",
                                   stack.varco->config_path().string(), "--decoded"},
                                  printed, printed);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::ifstream in(printed);
  std::string header;
  std::string payload;
  std::getline(in, header);
  std::getline(in, payload);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << header << payload;
  EXPECT_NE(header.find("entity-statement+jwt"), std::string::npos) << header;
  auto printed_claims = boost::json::parse(payload).as_object();
  auto served = http_get(stack.port(), "/.well-known/openid-federation");
  auto served_claims =
      boost::json::parse(jose::split_jws(served.body, jose::limits{})->payload).as_object();
  EXPECT_EQ(printed_claims.at("sub"), served_claims.at("sub"));
  EXPECT_EQ(printed_claims.at("jwks"), served_claims.at("jwks"));
  EXPECT_EQ(printed_claims.at("metadata"), served_claims.at("metadata"));
}

}  // namespace
}  // namespace varco::integration
