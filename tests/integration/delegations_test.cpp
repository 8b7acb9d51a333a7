// "I tuoi enti" through a real SPID login (pysaml2 IdP): Mario Rossi switches to the technology
// partner and lists the institutions that delegated it — paged, searched, bad queries refused —
// and sees the "does not apply" page while acting for the municipality.
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace varco::integration {
namespace {

constexpr const char* partner_id = "9f1c2a3e-0002-4a6b-9c1d-000000000002";

// Mario: MANAGER of the municipality, OPERATOR of the partner. Twelve more institutions delegated
// the partner (the municipality on two products): 14 rows, two pages.
std::string delegations_directory() {
  std::string yaml = R"(parties:
  - {id: 9f1c2a3e-0001-4a6b-9c1d-000000000001, name: Comune di Valdoria, type: PA, fiscal_code: "80012340123"}
  - {id: 9f1c2a3e-0002-4a6b-9c1d-000000000002, name: Tecnopartner S.r.l., type: PT, fiscal_code: "01234567890"}
)";
  std::string delegations = R"(delegations:
  - {from: 9f1c2a3e-0001-4a6b-9c1d-000000000001, to: 9f1c2a3e-0002-4a6b-9c1d-000000000002, product: prod-pagopa, since: 2025-03-14}
  - {from: 9f1c2a3e-0001-4a6b-9c1d-000000000001, to: 9f1c2a3e-0002-4a6b-9c1d-000000000002, product: prod-io, since: 2025-06-01}
)";
  for (int i = 10; i < 22; ++i) {
    const std::string n = std::to_string(i);
    const std::string id = "inst-" + n;
    yaml += "  - {id: " + id + ", name: Comune di Prova " + n +
            ", type: PA, fiscal_code: \"900000000" + n + "\"}\n";
    delegations += "  - {from: " + id + ", to: " + partner_id +
                   ", product: prod-pagopa, since: 2024-01-" + n + "}\n";
  }
  yaml += R"(memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0002-4a6b-9c1d-000000000002, product: prod-pagopa, party_role: OPERATOR, product_role: operator}
)";
  return yaml + delegations;
}

constexpr const char* io_product = R"(  - id: prod-io
    title: App IO
    path_prefix: /io
    required_party_roles: [MANAGER, OPERATOR]
    environments:
      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [{portal}], audience: io-collaudo}
)";

std::string csrf_of(const std::string& html) {
  for (const auto& f : parse_forms(html))
    if (f.action == "/logout") return f.field("csrf");
  return {};
}

// The institutions' names in the table's row headers, in page order.
std::vector<std::string> names_of(const std::string& html) {
  static const std::regex row_header("<th scope=\"row\">([^<]*)</th>");
  std::vector<std::string> names;
  for (std::sregex_iterator it(html.begin(), html.end(), row_header), end; it != end; ++it)
    names.push_back((*it)[1]);
  return names;
}

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

class delegations : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(stack.login(b, mario_cf).status, 303u) << stack.varco->output();
    auto area = b.get(stack.url("/area"));
    ASSERT_EQ(area.status, 200u);
    csrf = csrf_of(area.body);
    ASSERT_FALSE(csrf.empty());
  }
  void switch_to_partner() {
    auto switched = b.post_form(stack.url("/area/party"), {{"csrf", csrf}, {"party", partner_id}});
    ASSERT_EQ(switched.status, 303u) << switched.body;
  }

  static saml_settings settings() {
    saml_settings s;
    s.extra_products = io_product;
    s.directory = delegations_directory();
    return s;
  }
  saml_stack stack{settings()};
  test::browser b;
  std::string csrf;
};

TEST_F(delegations, a_partner_member_sees_the_delegating_institutions_paged) {
  switch_to_partner();
  auto area = b.get(stack.url("/area"));
  EXPECT_TRUE(has(area.body, "href=\"/area/delegations\"")) << "the header entry for a partner";

  auto first = b.get(stack.url("/area/delegations"));
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.header("Cache-Control"), "no-store");
  EXPECT_NE(first.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  const auto names = names_of(first.body);
  ASSERT_EQ(names.size(), 10u) << first.body;
  // Sorted by name; the municipality has one row per delegated product.
  EXPECT_EQ(names[0], "Comune di Prova 10");
  EXPECT_EQ(names[9], "Comune di Prova 19");
  EXPECT_TRUE(has(first.body, "14 deleghe"));
  EXPECT_TRUE(has(first.body, "<td>90000000010</td>"));
  EXPECT_TRUE(has(first.body, "<td>10/01/2024</td>"));
  EXPECT_TRUE(has(first.body, "pagina 1 di 2"));
  EXPECT_TRUE(has(first.body, "href=\"/area/delegations?page=2\""));

  auto second = b.get(stack.url("/area/delegations?page=2"));
  ASSERT_EQ(second.status, 200u);
  const auto rest = names_of(second.body);
  ASSERT_EQ(rest.size(), 4u) << second.body;
  EXPECT_EQ(rest[0], "Comune di Prova 20");
  EXPECT_EQ(rest[2], "Comune di Valdoria");
  EXPECT_EQ(rest[3], "Comune di Valdoria");
  EXPECT_TRUE(has(second.body, "<td>App IO</td>"));
  EXPECT_TRUE(has(second.body, "<td>Piattaforma pagoPA</td>"));
  EXPECT_TRUE(has(second.body, "<td>01/06/2025</td>"));
  EXPECT_TRUE(
      has(second.body, "aria-current=\"page\"><span class=\"visually-hidden\">Pagina </span>2"));

  // A page past the end shows the last one.
  auto past = b.get(stack.url("/area/delegations?page=40"));
  ASSERT_EQ(past.status, 200u);
  EXPECT_EQ(names_of(past.body), rest);
}

TEST_F(delegations, search_by_name_or_fiscal_code_ignoring_case) {
  switch_to_partner();
  auto by_name = b.get(stack.url("/area/delegations?q=VALDORIA"));
  ASSERT_EQ(by_name.status, 200u);
  EXPECT_EQ(names_of(by_name.body),
            (std::vector<std::string>{"Comune di Valdoria", "Comune di Valdoria"}));
  EXPECT_TRUE(has(by_name.body, "value=\"VALDORIA\""));
  EXPECT_FALSE(has(by_name.body, "pagination"));

  auto by_code = b.get(stack.url("/area/delegations?q=9000000001"));
  ASSERT_EQ(by_code.status, 200u);
  EXPECT_EQ(names_of(by_code.body).size(), 10u);  // 90000000010 … 90000000019

  auto none = b.get(stack.url("/area/delegations?q=Milano"));
  ASSERT_EQ(none.status, 200u);
  EXPECT_TRUE(names_of(none.body).empty());
  EXPECT_TRUE(has(none.body, "Nessun ente trovato"));
}

TEST_F(delegations, bad_queries_get_400_with_a_reason) {
  switch_to_partner();
  struct bad {
    std::string query, reason;
  };
  for (const auto& c : std::vector<bad>{{"page=abc", "bad_page"},
                                        {"page=0", "bad_page"},
                                        {"page=-2", "bad_page"},
                                        {"q=" + std::string(401, 'x'), "search_too_long"},
                                        {"q=%zz", "bad_query"}}) {
    auto page = b.get(stack.url("/area/delegations?" + c.query));
    EXPECT_EQ(page.status, 400u) << c.query;
    EXPECT_TRUE(has(page.header("Content-Type"), "text/html")) << c.query;
    EXPECT_TRUE(has(page.body, c.reason)) << c.query << page.body;
    auto api =
        b.get(stack.url("/area/delegations?" + c.query), 0, {{"Accept", "application/json"}});
    EXPECT_EQ(api.status, 400u) << c.query;
    EXPECT_EQ(json_field(api.body, "error"), c.reason) << c.query;
  }
  EXPECT_EQ(b.post_form(stack.url("/area/delegations"), {{"csrf", csrf}}).status, 405u);
}

TEST_F(delegations, an_institution_is_told_the_page_does_not_apply) {
  // Mario lands on the municipality (PA).
  auto area = b.get(stack.url("/area"));
  EXPECT_FALSE(has(area.body, "href=\"/area/delegations\""));
  auto page = b.get(stack.url("/area/delegations"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(has(page.body, "id=\"not-a-partner\""));
  EXPECT_TRUE(has(page.body, "Comune di Valdoria (Pubblica Amministrazione)"));
  EXPECT_TRUE(names_of(page.body).empty());
  EXPECT_FALSE(has(page.body, "Comune di Prova"));
}

TEST_F(delegations, without_a_session_the_browser_goes_to_login) {
  test::browser stranger;
  auto page = stranger.get(stack.url("/area/delegations?page=2"));
  EXPECT_EQ(page.status, 302u);
  EXPECT_EQ(page.header("Location"), "/login?return=%2Farea%2Fdelegations%3Fpage%3D2");
}

}  // namespace
}  // namespace varco::integration
