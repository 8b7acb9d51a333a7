#include "gateway/routing/route_table.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

conf::environment env(std::string id, std::string host = {}, std::string prefix = {}) {
  conf::environment e;
  e.id = std::move(id);
  e.host = std::move(host);
  e.path_prefix = std::move(prefix);
  return e;
}

conf::product product(std::string id, std::string host, std::string prefix,
                      std::vector<conf::environment> envs) {
  conf::product p;
  p.id = std::move(id);
  p.host = std::move(host);
  p.path_prefix = std::move(prefix);
  p.environments = std::move(envs);
  return p;
}

conf::config sample_config() {
  conf::config c;
  c.products.push_back(product("pagopa", "", "/pagopa",
                               {env("collaudo"), env("produzione", "prod.pagopa.example.it")}));
  c.products.push_back(product("pagopa-api", "", "/pagopa/api", {env("collaudo")}));
  c.products.push_back(product("io", "io.example.it", "", {env("collaudo", "", "/collaudo")}));
  c.products.push_back(product("io-web", "", "/io", {env("collaudo")}));
  c.products.push_back(product("send", "send.example.it", "/app", {env("collaudo")}));
  return c;
}

struct match_case {
  std::string_view host;
  std::string_view path;
  std::string_view product;      // "" = no match
  std::string_view environment;  // "" = not pinned
  std::string_view path_in_product;
};

void PrintTo(const match_case& c, std::ostream* os) { *os << c.host << c.path; }

class route_match_test : public ::testing::TestWithParam<match_case> {
 protected:
  static void SetUpTestSuite() {
    config_ = new conf::config(sample_config());
    std::vector<std::string> problems;
    table_ = new route_table(route_table::compile(*config_, problems));
    ASSERT_TRUE(problems.empty()) << problems.front();
  }
  static void TearDownTestSuite() {
    delete table_;
    delete config_;
  }
  static inline conf::config* config_ = nullptr;
  static inline route_table* table_ = nullptr;
};

TEST_P(route_match_test, table) {
  const auto& c = GetParam();
  const auto m = table_->match(c.host, c.path);
  if (c.product.empty()) {
    EXPECT_FALSE(m.has_value()) << c.host << c.path << " → " << m->product->id;
    return;
  }
  ASSERT_TRUE(m.has_value()) << c.host << c.path;
  EXPECT_EQ(m->product->id, c.product);
  EXPECT_EQ(m->pinned_environment ? m->pinned_environment->id : "", c.environment);
  EXPECT_EQ(m->path_in_product, c.path_in_product);
}

INSTANTIATE_TEST_SUITE_P(
    cases, route_match_test,
    ::testing::Values(
        // Path prefixes on segment boundaries, longest wins.
        match_case{"area.example.it", "/pagopa", "pagopa", "", "/"},
        match_case{"area.example.it", "/pagopa/", "pagopa", "", "/"},
        match_case{"area.example.it", "/pagopa/x/y", "pagopa", "", "/x/y"},
        match_case{"area.example.it", "/pagopax", "", "", ""},
        match_case{"area.example.it", "/pagopa/api", "pagopa-api", "", "/"},
        match_case{"area.example.it", "/pagopa/api/v1", "pagopa-api", "", "/v1"},
        match_case{"area.example.it", "/pagopa/apix", "pagopa", "", "/apix"},
        match_case{"area.example.it", "/io/a", "io-web", "", "/a"},
        match_case{"area.example.it", "/", "", "", ""},
        match_case{"area.example.it", "/other", "", "", ""},
        // Host-only product route takes every path of its host, except reserved ones.
        match_case{"io.example.it", "/", "io", "", "/"},
        match_case{"io.example.it", "/a/b", "io", "", "/a/b"},
        match_case{"io.example.it", "/login", "", "", ""},
        match_case{"io.example.it", "/static/app.css", "", "", ""},
        // Host-specific beats host-less even with a shorter prefix.
        match_case{"io.example.it", "/io/a", "io", "", "/io/a"},
        match_case{"io.example.it", "/pagopa/x", "io", "", "/pagopa/x"},
        // Environment route inherits the product host, pins the environment.
        match_case{"io.example.it", "/collaudo/x", "io", "collaudo", "/x"},
        match_case{"area.example.it", "/collaudo/x", "", "", ""},
        // Environment on its own host.
        match_case{"prod.pagopa.example.it", "/", "pagopa", "produzione", "/"},
        match_case{"prod.pagopa.example.it", "/pagamenti", "pagopa", "produzione", "/pagamenti"},
        // Host normalisation: case, port, trailing dot.
        match_case{"PROD.Pagopa.Example.IT:8443", "/x", "pagopa", "produzione", "/x"},
        match_case{"prod.pagopa.example.it.", "/x", "pagopa", "produzione", "/x"},
        match_case{"IO.example.it:80", "/a", "io", "", "/a"},
        // Host and prefix both required.
        match_case{"send.example.it", "/app/x", "send", "", "/x"},
        match_case{"send.example.it", "/other", "", "", ""},
        match_case{"other.example.it", "/app/x", "", "", ""},
        // Host-less routes answer any host, including IPv6 literals with port and none at all.
        match_case{"[::1]:8080", "/pagopa/x", "pagopa", "", "/x"},
        match_case{"", "/pagopa", "pagopa", "", "/"}));

TEST(route_table, ipv6_host_routes_strip_brackets_and_port) {
  conf::config c;
  c.products.push_back(product("local", "[::1]", "", {}));
  std::vector<std::string> problems;
  const auto t = route_table::compile(c, problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_TRUE(t.match("[::1]:8080", "/x"));
  EXPECT_EQ(t.match("[::1]", "/x")->product->id, "local");
  EXPECT_FALSE(t.match("[::2]:8080", "/x"));
}

TEST(route_table, reports_reserved_duplicate_and_empty_routes) {
  conf::config c;
  c.products.push_back(product("a", "", "/a", {}));
  c.products.push_back(product("dup", "", "/a/", {}));
  c.products.push_back(product("reserved", "", "/static/x", {}));
  c.products.push_back(product("saml", "", "/saml", {}));
  c.products.push_back(product("nothing", "", "", {}));
  c.products.push_back(product("bad", "", "a//b", {}));
  std::vector<std::string> problems;
  const auto t = route_table::compile(c, problems);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_NE(problems[0].find("already taken by product a"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("reserved"), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("reserved"), std::string::npos) << problems[2];
  EXPECT_NE(problems[3].find("needs a host or a path prefix"), std::string::npos);
  EXPECT_NE(problems[4].find("not a normalised path"), std::string::npos);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.match("x", "/a/b")->product->id, "a");
}

TEST(route_table, reserved_paths) {
  for (auto p : {"/saml/acs", "/saml", "/login", "/login/", "/logout", "/area", "/area/prodotti",
                 "/static/css/a.css", "/healthz", "/readyz", "/metrics", "/.well-known/jwks.json",
                 "/terms", "/privacy"}) {
    EXPECT_TRUE(is_reserved_path(p)) << p;
  }
  for (auto p : {"/", "/loginx", "/areas", "/staticx", "/metricsfoo", "/pagopa/login", "/x/saml",
                 "/termsx", "/pagopa/privacy"}) {
    EXPECT_FALSE(is_reserved_path(p)) << p;
  }
}

TEST(route_table, canonical_host) {
  EXPECT_EQ(canonical_host("Example.IT:8443"), "example.it");
  EXPECT_EQ(canonical_host("[::1]:8080"), "::1");
  EXPECT_EQ(canonical_host("[FE80::1]"), "fe80::1");
  EXPECT_EQ(canonical_host("::1"), "::1");
  EXPECT_EQ(canonical_host("a.b."), "a.b");
  EXPECT_EQ(canonical_host(""), "");
}

TEST(route_table, empty_table_matches_nothing) {
  const route_table t;
  EXPECT_FALSE(t.match("x", "/a"));
}

}  // namespace
}  // namespace varco::gateway
