// Routing by path and host to the environment the session chose; path normalisation; the answers
// for visitors without a session or without an environment choice.
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

class gateway_routing : public ::testing::Test {
 protected:
  gateway_stack stack;
  std::uint16_t port() const { return stack.gateway->port(); }
};

TEST_F(gateway_routing, path_prefix_goes_to_the_environment_chosen_in_the_session) {
  const auto collaudo = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto produzione =
      stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "produzione"}});

  const auto a = http_get(port(), "/pagopa/fatture?anno=2026", with_cookie(collaudo));
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(echoed(a).target, "/fatture?anno=2026");  // prefix stripped, query kept
  EXPECT_EQ(echoed(a).value("X-Varco-Environment"), "collaudo");
  EXPECT_EQ(stack.pagopa_collaudo.connections(), 1u);
  EXPECT_EQ(stack.pagopa_produzione.connections(), 0u);

  const auto b = http_get(port(), "/pagopa/fatture", with_cookie(produzione));
  ASSERT_EQ(b.status, 200u) << b.body;
  EXPECT_EQ(echoed(b).value("X-Varco-Environment"), "produzione");
  EXPECT_EQ(stack.pagopa_produzione.connections(), 1u);
}

TEST_F(gateway_routing, a_pinned_environment_route_wins_over_the_session_choice) {
  const auto collaudo = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto answer = http_get(port(), "/pagopa-produzione/x", with_cookie(collaudo));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(echoed(answer).value("X-Varco-Environment"), "produzione");
  EXPECT_EQ(echoed(answer).target, "/x");
  EXPECT_EQ(stack.pagopa_collaudo.connections(), 0u);
}

TEST_F(gateway_routing, host_routes_pick_the_product_and_a_host_can_pin_its_environment) {
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-io", "collaudo"}});
  const auto a =
      http_get(port(), "/messages", with_cookie(cookie, {{"Host", "IO.example.test:8443"}}));
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(echoed(a).value("X-Varco-Product"), "prod-io");
  EXPECT_EQ(echoed(a).value("X-Varco-Environment"), "collaudo");
  EXPECT_EQ(echoed(a).target, "/messages");

  const auto b =
      http_get(port(), "/messages", with_cookie(cookie, {{"Host", "io-produzione.example.test"}}));
  ASSERT_EQ(b.status, 200u) << b.body;
  EXPECT_EQ(echoed(b).value("X-Varco-Environment"), "produzione");
  EXPECT_EQ(stack.io_produzione.connections(), 1u);

  // The same path on another host is not that product.
  EXPECT_EQ(http_get(port(), "/messages", as_api(with_cookie(cookie))).status, 404u);
}

TEST_F(gateway_routing, paths_are_normalised_before_matching_and_forwarded_normalised) {
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const std::pair<const char*, const char*> cases[] = {
      {"/pagopa/a/../b", "/b"},       {"//pagopa//x///y", "/x/y"},  {"/pagopa/%61%62c", "/abc"},
      {"/pagopa/./a/%2e%2e/c", "/c"}, {"/other/../pagopa/z", "/z"},
  };
  for (const auto& [sent, forwarded] : cases) {
    const auto answer = http_get(port(), sent, with_cookie(cookie));
    ASSERT_EQ(answer.status, 200u) << sent << ": " << answer.body;
    EXPECT_EQ(echoed(answer).target, forwarded) << sent;
  }
  // The route is chosen on the normalised path: this is the pinned produzione route, with its
  // own environment (and its own policy), not collaudo under /pagopa.
  const auto climbed =
      http_get(port(), "/pagopa/../../pagopa-produzione/x", as_api(with_cookie(cookie)));
  ASSERT_EQ(climbed.status, 200u) << climbed.body;
  EXPECT_EQ(echoed(climbed).value("X-Varco-Environment"), "produzione");
}

TEST_F(gateway_routing, encoded_separators_and_unknown_paths_are_refused) {
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto slash = http_get(port(), "/pagopa/a%2Fb", as_api(with_cookie(cookie)));
  EXPECT_EQ(slash.status, 400u);
  EXPECT_EQ(json_field(slash.body, "error"), "path_encoded_separator");
  const auto unknown = http_get(port(), "/nowhere", as_api(with_cookie(cookie)));
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(json_field(unknown.body, "error"), "no_route");
  EXPECT_EQ(http_get(port(), "/pagopax/y", as_api(with_cookie(cookie))).status, 404u);
  EXPECT_EQ(stack.pagopa_collaudo.connections(), 0u);
}

TEST_F(gateway_routing, visitors_without_a_session_go_to_login_or_get_401) {
  const auto browser = http_get(port(), "/pagopa/x?y=1", as_browser());
  EXPECT_EQ(browser.status, 302u);
  EXPECT_EQ(browser.header("location"), "/login?return=%2Fpagopa%2Fx%3Fy%3D1");
  const auto api = http_get(port(), "/pagopa/x", as_api());
  EXPECT_EQ(api.status, 401u);
  EXPECT_EQ(json_field(api.body, "error"), "login_required");
  // An unknown well-formed id and garbage are no better than no cookie.
  const std::string unknown(43, 'A');
  EXPECT_EQ(http_get(port(), "/pagopa/x", as_api(with_cookie(unknown))).status, 401u);
  EXPECT_EQ(http_get(port(), "/pagopa/x", as_api(with_cookie("x\"; drop"))).status, 401u);
  EXPECT_EQ(stack.pagopa_collaudo.connections(), 0u);
}

TEST_F(gateway_routing, without_an_environment_choice_browsers_go_to_the_choice_and_apis_get_409) {
  const auto cookie = stack.cookie_for(manager_cf, institution, {});
  const auto browser = http_get(port(), "/pagopa/x", as_browser(with_cookie(cookie)));
  EXPECT_EQ(browser.status, 302u);
  EXPECT_EQ(browser.header("location"),
            "/area/environment?product=prod-pagopa&return=%2Fpagopa%2Fx");
  const auto api = http_get(port(), "/pagopa/x", as_api(with_cookie(cookie)));
  EXPECT_EQ(api.status, 409u);
  EXPECT_EQ(json_field(api.body, "error"), "environment_not_chosen");
  EXPECT_EQ(json_field(api.body, "product"), "prod-pagopa");
}

}  // namespace
}  // namespace varco::integration
