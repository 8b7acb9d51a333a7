// Routing by path and host to the environment the session chose, pinned environment routes,
// path normalisation, and what visitors without a session, an environment or a permission get.
#include "tests/integration/integration_stack.hpp"

namespace varco::integration {
namespace {

class routing : public ::testing::Test {
 protected:
  stack s;
  std::string manager_on(const std::string& product, const std::string& environment) {
    return s.session_for(manager_cf, institution, {{product, environment}});
  }
};

TEST_F(routing, a_path_prefix_goes_to_the_environment_chosen_in_the_session) {
  const auto collaudo = manager_on("prod-pagopa", "collaudo");
  const auto produzione = manager_on("prod-pagopa", "produzione");

  const auto a = http_get(s.port(), "/pagopa/avvisi?anno=2026&tipo=a%20b", with_cookie(collaudo));
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(echoed(a).target, "/avvisi?anno=2026&tipo=a%20b");  // prefix stripped, query kept
  EXPECT_EQ(echoed(a).value("X-Varco-Environment"), "collaudo");
  EXPECT_EQ(s.pagopa_collaudo.requests(), 1u);
  EXPECT_EQ(s.pagopa_produzione.requests(), 0u);

  const auto b = http_get(s.port(), "/pagopa/avvisi", with_cookie(produzione));
  ASSERT_EQ(b.status, 200u) << b.body;
  EXPECT_EQ(echoed(b).value("X-Varco-Environment"), "produzione");
  EXPECT_EQ(s.pagopa_produzione.requests(), 1u);
  EXPECT_EQ(s.pagopa_collaudo.requests(), 1u);
}

TEST_F(routing, a_pinned_environment_route_ignores_the_session_choice) {
  const auto collaudo = manager_on("prod-pagopa", "collaudo");
  const auto answer = http_get(s.port(), "/pagopa-produzione/x?q=1", with_cookie(collaudo));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(echoed(answer).value("X-Varco-Environment"), "produzione");
  EXPECT_EQ(echoed(answer).target, "/x?q=1");
  EXPECT_EQ(s.pagopa_collaudo.requests(), 0u);
  EXPECT_EQ(s.pagopa_produzione.requests(), 1u);
}

TEST_F(routing, a_host_picks_its_product_and_a_pinned_host_its_environment) {
  const auto id = manager_on("prod-io", "collaudo");
  const auto a =
      http_get(s.port(), "/messaggi", with_cookie(id, {{"Host", "IO.Example.Test:8080"}}));
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(echoed(a).value("X-Varco-Product"), "prod-io");
  EXPECT_EQ(echoed(a).value("X-Varco-Environment"), "collaudo");
  EXPECT_EQ(echoed(a).target, "/messaggi");
  EXPECT_EQ(s.io_collaudo.requests(), 1u);

  const auto b =
      http_get(s.port(), "/messaggi", with_cookie(id, {{"Host", "io-produzione.example.test"}}));
  ASSERT_EQ(b.status, 200u) << b.body;
  EXPECT_EQ(echoed(b).value("X-Varco-Environment"), "produzione");
  EXPECT_EQ(s.io_produzione.requests(), 1u);

  // The same path on the default host is no product.
  EXPECT_EQ(http_get(s.port(), "/messaggi", as_api(with_cookie(id))).status, 404u);
}

TEST_F(routing, the_longest_prefix_wins_and_strip_path_prefix_is_per_product) {
  const auto id = s.session_for(manager_cf, institution,
                                {{"prod-pagopa", "collaudo"}, {"prod-fatture", "collaudo"}});
  const auto longer = http_get(s.port(), "/pagopa/fatture/2026/1", with_cookie(id));
  ASSERT_EQ(longer.status, 200u) << longer.body;
  EXPECT_EQ(echoed(longer).value("X-Varco-Product"), "prod-fatture");
  EXPECT_EQ(echoed(longer).target, "/pagopa/fatture/2026/1");  // not stripped for this product
  EXPECT_EQ(s.fatture.requests(), 1u);

  const auto shorter = http_get(s.port(), "/pagopa/fatturex", with_cookie(id));
  ASSERT_EQ(shorter.status, 200u) << shorter.body;
  EXPECT_EQ(echoed(shorter).value("X-Varco-Product"), "prod-pagopa");
  EXPECT_EQ(echoed(shorter).target, "/fatturex");
  EXPECT_EQ(s.fatture.requests(), 1u);
}

TEST_F(routing, paths_are_normalised_before_matching_and_forwarded_normalised) {
  const auto id = manager_on("prod-pagopa", "collaudo");
  const std::pair<const char*, const char*> cases[] = {
      {"/pagopa/a/../b", "/b"},          {"//pagopa//x", "/x"},
      {"/pagopa/a/%2e%2e/c", "/c"},      {"/pagopa/a/%2E%2E/%2e/d", "/d"},
      {"/pagopa/%7Eutente", "/~utente"}, {"/altro/../pagopa/z?x=1", "/z?x=1"},
  };
  for (const auto& [sent, forwarded] : cases) {
    const auto answer = http_get(s.port(), sent, with_cookie(id));
    ASSERT_EQ(answer.status, 200u) << sent << ": " << answer.body;
    EXPECT_EQ(echoed(answer).target, forwarded) << sent;
  }
}

TEST_F(routing, an_encoded_slash_is_400_and_an_unknown_path_404) {
  const auto id = manager_on("prod-pagopa", "collaudo");
  const auto slash = http_get(s.port(), "/pagopa/a%2Fb", as_api(with_cookie(id)));
  EXPECT_EQ(slash.status, 400u);
  EXPECT_FALSE(json_field(slash.body, "error").empty());
  const auto unknown = http_get(s.port(), "/sconosciuto/x", as_api(with_cookie(id)));
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(json_field(unknown.body, "error"), "no_route");
  EXPECT_EQ(http_get(s.port(), "/pagopax", as_api(with_cookie(id))).status, 404u);
  EXPECT_EQ(s.pagopa_collaudo.connections(), 0u);
}

TEST_F(routing, without_a_valid_session_browsers_go_to_login_and_apis_get_401) {
  const std::string unknown(43, 'Q');  // well formed, never issued
  for (const auto& jar : std::vector<header_list>{
           {}, with_cookie(unknown), with_cookie("%%%garbage\"; x=1"), {{"Cookie", "other=1"}}}) {
    const auto page = http_get(s.port(), "/pagopa/x?y=1", as_browser(jar));
    EXPECT_EQ(page.status, 302u);
    // Only a well-formed session id that names no session is a session that ended.
    const std::string ended = jar == with_cookie(unknown) ? "&expired=1" : "";
    EXPECT_EQ(page.header("Location"), "/login?return=%2Fpagopa%2Fx%3Fy%3D1" + ended);
    const auto json = http_get(s.port(), "/pagopa/x", as_api(jar));
    EXPECT_EQ(json.status, 401u);
    EXPECT_EQ(json_field(json.body, "error"), "login_required");
    EXPECT_EQ(http_get(s.port(), "/pagopa/x", jar).status, 401u);  // no Accept at all
    EXPECT_EQ(http_get(s.port(), "/pagopa/x", {{"Accept", "*/*"}}).status, 401u);
  }
  EXPECT_EQ(s.pagopa_collaudo.connections(), 0u);
}

TEST_F(routing, without_an_environment_choice_browsers_choose_and_apis_get_409) {
  const auto id = s.session_for(manager_cf, institution, {});
  const auto page = http_get(s.port(), "/pagopa/x", as_browser(with_cookie(id)));
  EXPECT_EQ(page.status, 302u);
  EXPECT_EQ(page.header("Location"), "/area/environment?product=prod-pagopa&return=%2Fpagopa%2Fx");
  const auto json = http_get(s.port(), "/pagopa/x", as_api(with_cookie(id)));
  EXPECT_EQ(json.status, 409u);
  EXPECT_EQ(json_field(json.body, "error"), "environment_not_chosen");
  EXPECT_EQ(s.pagopa_collaudo.connections(), 0u);
}

TEST_F(routing, the_policy_denies_with_its_reason_and_nothing_reaches_the_product) {
  struct denial {
    const char* user;
    const char* party;
    const char* path;
    const char* reason;
  };
  const denial cases[] = {
      {manager_cf, partner, "/pagopa/x", "not_a_member"},
      {operator_cf, institution, "/pagopa/admin/utenti", "product_role_required"},
      {operator_cf, institution, "/pagopa-produzione/x", "environment_not_allowed"},
      {manager_cf, "", "/pagopa/x", nullptr},  // no party selected: any 403 reason
  };
  for (const auto& c : cases) {
    const auto id = s.session_for(c.user, c.party, {{"prod-pagopa", "collaudo"}});
    const auto json = http_get(s.port(), c.path, as_api(with_cookie(id)));
    EXPECT_EQ(json.status, 403u) << c.path << " " << json.body;
    if (c.reason != nullptr)
      EXPECT_EQ(json_field(json.body, "error"), c.reason) << c.path;
    else
      EXPECT_FALSE(json_field(json.body, "error").empty()) << json.body;
    const auto page = http_get(s.port(), c.path, as_browser(with_cookie(id)));
    EXPECT_EQ(page.status, 403u);
    EXPECT_NE(page.body.find("<html"), std::string::npos);
  }
  EXPECT_EQ(s.pagopa_collaudo.connections() + s.pagopa_produzione.connections(), 0u);

  // The same operator does reach the paths without a rule, on the environment it may use.
  const auto id = s.session_for(operator_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto allowed = http_get(s.port(), "/pagopa/administration", with_cookie(id));
  EXPECT_EQ(allowed.status, 200u) << allowed.body;
  EXPECT_EQ(echoed(allowed).value("X-Varco-Product-Role"), "operator");
}

}  // namespace
}  // namespace varco::integration
