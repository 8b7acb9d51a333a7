// Open redirects, through the real binary, a real SPID login (pysaml2 IdP) and the shared Redis:
// every place varco answers with a Location (or renders a target another request will redirect
// to) is fed the same table of hostile targets. Each Location must stay on varco's origin (a path
// with exactly one leading '/', printable ASCII, no '\') or be the endpoint's fixed default, and
// nothing from the target may turn into a header of its own.
//
// The redirects: the ACS landing (the return path kept with the pending login), the login page's
// IdP links, the environment choice ("Gestisci": GET renders the return, POST follows it),
// login-required and environment-required redirects from product paths and area pages, the party
// switch, the language switch (none), the ACS RelayState, and SAML Single Logout in both
// directions (the IdP's own SLO URL, with the RelayState percent-encoded).
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"

#include <boost/beast/core/string.hpp>
#include <gtest/gtest.h>

namespace varco::integration {
namespace {

using namespace std::string_literals;  // "\0" inside a literal

constexpr const char* comune_id = "9f1c2a3e-0001-4a6b-9c1d-000000000001";

// Logins, ACS posts and area forms by the dozen from one client: the limits are not under test.
constexpr const char* generous_limits = R"(rate_limits:
  login: {requests: 100000, window: 1m}
  acs: {requests: 100000, window: 1m}
  forms: {requests: 100000, window: 1m}
)";

saml_settings open_redirect_settings() {
  saml_settings s;
  s.extra_config = generous_limits;
  return s;
}

// Targets an attacker hands to a redirecting endpoint (issue 5's table).
std::vector<std::string> hostile_targets() {
  return {"//evil.example",
          "/\\evil.example",
          "\\\\evil.example",
          "/\\\\evil",
          "https://evil.example",
          "http:evil.example",
          "javascript:alert(1)",
          "//user@evil.example",
          "/%2F%2Fevil.example",
          "/%5Cevil.example",
          "%0d%0aLocation: http://evil",
          "/foo%0d%0aSet-Cookie:x=1",
          "/foo\r\nSet-Cookie: x=1",
          "/%09/evil.example",
          "/\t/evil.example",
          "/\n/evil.example",
          "/%00/evil.example",
          "/\0/evil.example"s,
          "///evil.example",
          "/.//evil",
          "/%2e//evil",
          "https:\\\\evil",
          "/\xef\xbc\x8f"
          "evil.example",  // U+FF0F fullwidth solidus
          "/%E3%80%82evil/..//x",
          "/%C0%AFevil.example",  // overlong '/'
          "/" + std::string(3000, 'a')};
}

// Local paths that must still be followed.
const std::vector<std::string> legitimate_targets = {"/area", "/pagopa-collaudo/home?x=1&y=%2F%2Fz",
                                                     "/area/environment?product=prod-pagopa"};

// Same-origin: one leading '/', not "//" or "/\", printable ASCII without '\', no dot segment
// that could make it "//…" once resolved.
bool same_origin_path(std::string_view location) {
  if (location.empty() || location[0] != '/') return false;
  if (location.size() > 1 && (location[1] == '/' || location[1] == '\\')) return false;
  for (const char c : location) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u >= 0x7f || c == '\\') return false;
  }
  return location.find("/./") == std::string_view::npos &&
         location.find("/../") == std::string_view::npos;
}

// What a login-required redirect may look like: a fixed path and percent-encoded query values.
bool encoded_redirect_to(std::string_view location, std::string_view fixed_prefix) {
  if (!location.starts_with(fixed_prefix)) return false;
  for (const char c : location.substr(fixed_prefix.size())) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '&' ||
                    c == '=' || c == '+';  // '+': a space, form-encoded (SAML bindings)
    if (!ok) return false;
  }
  return true;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// No header the target could have written: one Location at most, no Set-Cookie but varco's own.
void expect_no_injected_header(const http_response& answer, const std::string& label) {
  EXPECT_LE(answer.count("Location"), 1u) << label;
  for (const auto& [name, value] : answer.headers) {
    EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos) << label << ": " << name;
    if (boost::beast::iequals(name, "Set-Cookie")) {
      EXPECT_NE(value.rfind("x=", 0), 0u) << label << ": " << value;
    }
    EXPECT_FALSE(boost::beast::iequals(name, "x")) << label;
  }
}

// The `return=` values (decoded) of the login page's IdP links.
std::vector<std::string> link_returns(const std::string& html) {
  std::vector<std::string> out;
  const std::string key = "&amp;return=";
  for (auto at = html.find("href=\"/saml/login?idp="); at != std::string::npos;
       at = html.find("href=\"/saml/login?idp=", at + 1)) {
    const auto end = html.find('"', at + 6);
    const std::string href = html.substr(at, end - at);
    const auto r = href.find(key);
    out.push_back(r == std::string::npos ? std::string()
                                         : percent_decode(href.substr(r + key.size())));
  }
  return out;
}

class open_redirect : public ::testing::Test {
 protected:
  void log_in() {
    auto acs = stack.login(b, mario_cf, "success", "/area");
    ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
    auto page = b.get(stack.url("/area"));
    ASSERT_EQ(page.status, 200u) << page.body;
    for (const auto& f : parse_forms(page.body))
      if (f.action == "/logout") csrf = f.field("csrf");
    ASSERT_FALSE(csrf.empty()) << page.body;
  }

  saml_stack stack{open_redirect_settings()};
  test::browser b;
  std::string csrf;
};

TEST_F(open_redirect, the_login_lands_on_the_area_whatever_return_it_was_given) {
  for (const auto& target : hostile_targets()) {
    const std::string label = target.substr(0, 60);
    auto acs = stack.login(b, mario_cf, "success", target);
    ASSERT_EQ(acs.status, 303u) << label << acs.body;
    EXPECT_EQ(acs.header("Location"), "/area") << label;
    expect_no_injected_header(acs, label);
  }
  for (const auto& target : legitimate_targets) {
    auto acs = stack.login(b, mario_cf, "success", target);
    ASSERT_EQ(acs.status, 303u) << target << acs.body;
    EXPECT_EQ(acs.header("Location"), target);
  }
  EXPECT_TRUE(stack.varco->running());
}

TEST_F(open_redirect, the_login_page_links_carry_only_safe_returns) {
  for (const auto& target : hostile_targets()) {
    const std::string label = target.substr(0, 60);
    auto page = http_get(stack.port(), "/login?" + form_encode({{"return", target}}),
                         {{"Accept", "text/html"}});
    ASSERT_EQ(page.status, 200u) << label;
    const auto returns = link_returns(page.body);
    ASSERT_FALSE(returns.empty()) << page.body;
    for (const auto& r : returns) EXPECT_EQ(r, "") << label;
  }
  for (const auto& target : legitimate_targets) {
    auto page = http_get(stack.port(), "/login?" + form_encode({{"return", target}}));
    for (const auto& r : link_returns(page.body)) EXPECT_EQ(r, target);
  }
}

TEST_F(open_redirect, the_acs_refuses_a_relay_state_that_names_no_pending_login) {
  for (const auto& target : hostile_targets()) {
    const std::string label = target.substr(0, 60);
    auto answer = http_request(stack.port(), boost::beast::http::verb::post, "/saml/acs",
                               {{"Content-Type", "application/x-www-form-urlencoded"}},
                               form_encode({{"SAMLResponse", "PHg+"}, {"RelayState", target}}));
    EXPECT_EQ(answer.status, 400u) << label;
    EXPECT_EQ(answer.count("Location"), 0u) << label;
    EXPECT_NE(answer.body.find("relay_state_invalid"), std::string::npos) << label;
  }
  EXPECT_NE(stack.varco->output().find("reason=relay_state_invalid"), std::string::npos);
}

TEST_F(open_redirect, the_environment_choice_follows_only_a_safe_return) {
  log_in();
  for (const auto& target : hostile_targets()) {
    const std::string label = target.substr(0, 60);
    // GET renders the return into the form; a hostile one is dropped there already.
    auto page = b.get(stack.url("/area/environment?" +
                                form_encode({{"product", "prod-pagopa"}, {"return", target}})));
    ASSERT_EQ(page.status, 200u) << label << page.body;
    for (const auto& f : parse_forms(page.body))
      if (f.action == "/area/environment") {
        EXPECT_EQ(f.field("return"), "") << label;
      }
    // POST (a forged form) falls back to the product's own entry, never the target.
    auto chosen = b.post_form(stack.url("/area/environment"), {{"csrf", csrf},
                                                               {"product", "prod-pagopa"},
                                                               {"environment", "collaudo"},
                                                               {"return", target}});
    ASSERT_EQ(chosen.status, 303u) << label << chosen.body;
    EXPECT_EQ(chosen.header("Location"), "/pagopa/") << label;
    expect_no_injected_header(chosen, label);
  }
  for (const auto& target : legitimate_targets) {
    auto chosen = b.post_form(stack.url("/area/environment"), {{"csrf", csrf},
                                                               {"product", "prod-pagopa"},
                                                               {"environment", "collaudo"},
                                                               {"return", target}});
    ASSERT_EQ(chosen.status, 303u) << target;
    EXPECT_EQ(chosen.header("Location"), target);
  }
}

// Product paths and area pages redirect to /login (no session) or to the environment choice (no
// environment yet) with the request's own target as the return: percent-encoded there, and
// dropped later if it is not a safe local path.
TEST_F(open_redirect, login_and_environment_redirects_encode_the_target_and_drop_it_if_unsafe) {
  // Encoded controls and encoded slashes in the path never get as far as a redirect: 400 before
  // routing, with a path_* reason code.
  for (const char* target : {"/pagopa/%0d%0aSet-Cookie:%20x=1", "/pagopa/%00/x",
                             "/pagopa/%2F%2Fevil.example", "/pagopa-collaudo/..%2F..%2F%2Fevil"}) {
    auto refused = http_get(stack.port(), target, {{"Accept", "text/html"}});
    EXPECT_EQ(refused.status, 400u) << target;
    EXPECT_EQ(refused.count("Location"), 0u) << target;
    EXPECT_NE(refused.body.find("<code>path_"), std::string::npos) << target << refused.body;
    expect_no_injected_header(refused, target);
  }
  const std::vector<std::string> targets = {
      "/pagopa//evil.example", "/pagopa/x?next=//evil.example&r=%0d%0ax",
      "/pagopa/x?a=%00&b=%5C%5Cevil", "/pagopa/x?return=https://evil.example",
      "/area/users?return=//evil.example"};
  for (const auto& target : targets) {
    auto sent = http_get(stack.port(), target, {{"Accept", "text/html"}});
    ASSERT_EQ(sent.status, 302u) << target << sent.body;
    const std::string location = sent.header("Location");
    EXPECT_TRUE(encoded_redirect_to(location, "/login?return=")) << target << " → " << location;
    expect_no_injected_header(sent, target);
    // The login page then offers it to the IdP links only if it is a safe local path.
    auto page = http_get(stack.port(), location, {{"Accept", "text/html"}});
    ASSERT_EQ(page.status, 200u) << location;
    for (const auto& r : link_returns(page.body))
      EXPECT_TRUE(r.empty() || same_origin_path(r)) << target << " → " << r;
  }

  // Signed in, no environment chosen yet: to the choice, with the target as its return.
  log_in();
  for (const auto& target : targets) {
    if (!target.starts_with("/pagopa/")) continue;
    auto sent = b.get(stack.url(target), 0, {{"Accept", "text/html"}});
    ASSERT_EQ(sent.status, 302u) << target << sent.body;
    const std::string location = sent.header("Location");
    EXPECT_TRUE(encoded_redirect_to(location, "/area/environment?product=prod-pagopa&return="))
        << target << " → " << location;
    expect_no_injected_header(sent, target);
    auto page = b.get(stack.url(location));
    ASSERT_EQ(page.status, 200u) << location;
    for (const auto& f : parse_forms(page.body)) {
      if (f.action != "/area/environment") continue;
      const std::string back = f.field("return");
      EXPECT_TRUE(back.empty() || same_origin_path(back)) << target << " → " << back;
    }
  }
}

TEST_F(open_redirect, the_party_and_language_switches_never_follow_a_target) {
  log_in();
  for (const auto& target : hostile_targets()) {
    const std::string label = target.substr(0, 60);
    auto switched =
        b.post_form(stack.url("/area/party"),
                    {{"csrf", csrf}, {"party", comune_id}, {"return", target}, {"next", target}});
    ASSERT_EQ(switched.status, 303u) << label << switched.body;
    EXPECT_EQ(switched.header("Location"), "/area?done=party_switched") << label;
    auto language = b.get(stack.url("/area?" + form_encode({{"lang", "en"}, {"return", target}})));
    EXPECT_EQ(language.status, 200u) << label;
    EXPECT_EQ(language.count("Location"), 0u) << label;
  }
}

// SP-initiated: Esci goes to the IdP's own SLO URL whatever the form says. IdP-initiated: the
// LogoutResponse goes back to the IdP's SLO URL, its RelayState echoed percent-encoded (and
// covered by varco's signature, which the IdP checks).
TEST_F(open_redirect, single_logout_redirects_only_to_the_idps_slo_url) {
  const std::string idp_slo = "http://127.0.0.1:" + std::to_string(stack.idp->port()) + "/slo?";
  log_in();
  auto to_idp = b.post_form(stack.url("/logout"),
                            {{"csrf", csrf}, {"return", "//evil.example"}, {"RelayState", "//e"}});
  ASSERT_EQ(to_idp.status, 302u) << to_idp.body;
  EXPECT_EQ(to_idp.header("Location").rfind(idp_slo, 0), 0u) << to_idp.header("Location");
  EXPECT_EQ(to_idp.header("Location").find("evil"), std::string::npos);

  const std::vector<std::string> relays = {"//evil.example", "https://evil.example",
                                           "/foo\r\nSet-Cookie: x=1", "javascript:alert(1)"};
  for (const auto& relay : relays) {
    test::browser user;
    ASSERT_EQ(stack.login(user, mario_cf).status, 303u);
    test::browser idp_user;
    auto initiate =
        idp_user.get("http://127.0.0.1:" + std::to_string(stack.idp->port()) + "/slo/initiate?" +
                     form_encode({{"user", mario_cf}, {"RelayState", relay}}));
    ASSERT_EQ(initiate.status, 302u) << initiate.body << stack.idp->output();
    auto at_varco = idp_user.get(initiate.header("Location"));
    ASSERT_EQ(at_varco.status, 302u) << at_varco.body;
    const std::string location = at_varco.header("Location");
    EXPECT_EQ(location.rfind(idp_slo, 0), 0u) << location;
    EXPECT_TRUE(encoded_redirect_to(location.substr(location.find('?') + 1), ""))
        << relay << " → " << location;
    expect_no_injected_header(at_varco, relay);
    auto completed = idp_user.get(location);
    EXPECT_EQ(completed.status, 200u) << completed.body << stack.idp->output();
  }
}

}  // namespace
}  // namespace varco::integration
