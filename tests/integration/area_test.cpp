// The Area Riservata through a real SPID login (pysaml2 IdP): Panoramica's products, Gestisci →
// environment choice → the proxied portal in that environment, CSRF on every form, the party
// switch dropping the previous party's environment choices, and the page for a user without
// parties.
#include "tests/integration/integration_stack.hpp"
#include "tests/integration/saml_stack.hpp"

#include <gtest/gtest.h>

namespace varco::integration {
namespace {

constexpr const char* comune_id = "9f1c2a3e-0001-4a6b-9c1d-000000000001";
constexpr const char* partner_id = "9f1c2a3e-0002-4a6b-9c1d-000000000002";
constexpr const char* bank_id = "9f1c2a3e-0003-4a6b-9c1d-000000000003";

// prod-pagopa (from saml_stack), App IO with a MANAGER-only produzione, and SEND that no party of
// Mario's has joined.
constexpr const char* extra_products = R"(  - id: prod-io
    title: App IO
    path_prefix: /io
    strip_path_prefix: true
    required_party_roles: [MANAGER, OPERATOR]
    environments:
      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [{portal}], audience: io-collaudo}
      - {id: produzione, label: Ambiente di Produzione, upstreams: [{portal}], audience: io-produzione, party_roles: [MANAGER]}
  - id: prod-pn
    title: SEND
    path_prefix: /pn
    required_party_roles: [MANAGER]
    environments:
      - {id: produzione, label: Ambiente di Produzione, upstreams: [{portal}], audience: pn-produzione}
)";

// Mario: MANAGER of the municipality on pagoPA and IO, OPERATOR of the partner on IO. The bank is
// Luigi's only.
constexpr const char* directory = R"(parties:
  - id: 9f1c2a3e-0001-4a6b-9c1d-000000000001
    name: Comune di Valdoria
    type: PA
    fiscal_code: "80012340123"
    ipa_code: c_v001
    registry: {address: Piazza del Municipio 1, pec: protocollo@pec.comune.valdoria.it}
  - {id: 9f1c2a3e-0002-4a6b-9c1d-000000000002, name: Tecnopartner S.r.l., type: PT, fiscal_code: "01234567890"}
  - {id: 9f1c2a3e-0003-4a6b-9c1d-000000000003, name: Banca Esempio S.p.A., type: PSP, fiscal_code: "09876543210"}
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-io, party_role: MANAGER, product_role: admin}
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0002-4a6b-9c1d-000000000002, product: prod-io, party_role: OPERATOR, product_role: operator}
  - {user: VRDLGU85B02F205X, party: 9f1c2a3e-0003-4a6b-9c1d-000000000003, product: prod-pagopa, party_role: OPERATOR, product_role: operator}
)";

saml_settings area_settings() {
  saml_settings s;
  s.extra_products = extra_products;
  s.directory = directory;
  return s;
}

// The product ids of the cards in Panoramica's "Prodotti attivi" and "Prodotti disponibili".
struct product_sections {
  std::string active, available;
};
product_sections sections_of(const std::string& html) {
  const auto active = html.find("id=\"active\"");
  const auto available = html.find("id=\"available\"");
  if (active == std::string::npos || available == std::string::npos || available < active)
    return {};
  return {html.substr(active, available - active), html.substr(available)};
}
bool lists(const std::string& section, const std::string& product) {
  return section.find("data-product=\"" + product + "\"") != std::string::npos;
}

std::string csrf_of(const std::string& html) {
  for (const auto& f : parse_forms(html))
    if (f.action == "/logout") return f.field("csrf");
  return {};
}

class area : public ::testing::Test {
 protected:
  void SetUp() override {
    auto acs = stack.login(b, mario_cf);
    ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
    auto page = b.get(stack.url("/area"));
    ASSERT_EQ(page.status, 200u) << page.body;
    csrf = csrf_of(page.body);
    ASSERT_FALSE(csrf.empty());
  }

  // Gestisci → the environment page → the form for `environment` submitted.
  http_response choose(const std::string& product, const std::string& environment) {
    auto page = b.get(stack.url("/area/environment?product=" + product));
    EXPECT_EQ(page.status, 200u) << page.body;
    const auto form = form_choosing(page.body, "environments", "environment", environment);
    EXPECT_EQ(form.action, "/area/environment") << "no form for " << environment << page.body;
    return b.submit(form, stack.port());
  }

  saml_stack stack{area_settings()};
  test::browser b;
  std::string csrf;
};

TEST_F(area, panoramica_shows_the_party_data_and_its_active_and_available_products) {
  auto page = b.get(stack.url("/area"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("Comune di Valdoria"), std::string::npos);
  EXPECT_NE(page.body.find("c_v001"), std::string::npos);
  EXPECT_NE(page.body.find("protocollo@pec.comune.valdoria.it"), std::string::npos);
  EXPECT_NE(page.body.find("Amministratore"), std::string::npos);
  const auto s = sections_of(page.body);
  EXPECT_TRUE(lists(s.active, "prod-pagopa"));
  EXPECT_TRUE(lists(s.active, "prod-io"));
  EXPECT_FALSE(lists(s.active, "prod-pn"));
  EXPECT_TRUE(lists(s.available, "prod-pn"));
  EXPECT_FALSE(lists(s.available, "prod-pagopa"));
  EXPECT_NE(s.active.find("href=\"/area/environment?product=prod-io\""), std::string::npos);
  // The switcher offers both of Mario's parties, never Luigi's bank.
  EXPECT_NE(page.body.find(std::string("value=\"") + partner_id + "\""), std::string::npos);
  EXPECT_EQ(page.body.find(bank_id), std::string::npos);
}

TEST_F(area, gestisci_and_an_environment_choice_open_the_portal_in_that_environment) {
  // The portal without a choice sends the browser to the environment page, return path kept.
  auto unchosen = b.get(stack.url("/pagopa/home?x=1"));
  ASSERT_EQ(unchosen.status, 302u);
  const std::string where = unchosen.header("Location");
  EXPECT_EQ(where, "/area/environment?product=prod-pagopa&return=%2Fpagopa%2Fhome%3Fx%3D1");
  auto page = b.get(stack.url(where));
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_NE(page.body.find("In quale ambiente vuoi entrare?"), std::string::npos);
  const auto form = form_choosing(page.body, "environments", "environment", "collaudo");
  ASSERT_EQ(form.field("return"), "/pagopa/home?x=1");
  auto chosen = b.submit(form, stack.port());
  ASSERT_EQ(chosen.status, 303u) << chosen.body;
  EXPECT_EQ(chosen.header("Location"), "/pagopa/home?x=1");

  auto portal = b.get(stack.url(chosen.header("Location")));
  ASSERT_EQ(portal.status, 200u) << portal.body;
  echoed seen(portal);
  EXPECT_EQ(seen.value("X-Varco-Environment"), "collaudo");
  EXPECT_EQ(seen.value("X-Varco-Product"), "prod-pagopa");

  // Gestisci from Panoramica (no return path): the product's own prefix, in produzione.
  auto io = choose("prod-io", "produzione");
  ASSERT_EQ(io.status, 303u) << io.body;
  EXPECT_EQ(io.header("Location"), "/io/");
  auto io_portal = b.get(stack.url("/io/dashboard"));
  ASSERT_EQ(io_portal.status, 200u);
  EXPECT_EQ(echoed(io_portal).value("X-Varco-Environment"), "produzione");
}

TEST_F(area, forms_without_the_sessions_csrf_token_are_refused) {
  const auto post = [&](const std::string& path,
                        std::vector<std::pair<std::string, std::string>> fields) {
    return b.post_form(stack.url(path), fields).status;
  };
  EXPECT_EQ(post("/area/environment", {{"product", "prod-pagopa"}, {"environment", "collaudo"}}),
            403u);
  EXPECT_EQ(post("/area/environment",
                 {{"csrf", csrf + "x"}, {"product", "prod-pagopa"}, {"environment", "collaudo"}}),
            403u);
  EXPECT_EQ(post("/area/party", {{"party", partner_id}}), 403u);
  EXPECT_EQ(post("/area/party", {{"csrf", "not-the-token"}, {"party", partner_id}}), 403u);
  // Nothing was stored: the portal still asks for an environment, the party is unchanged.
  EXPECT_EQ(b.get(stack.url("/pagopa/home")).status, 302u);
  auto page = b.get(stack.url("/area"));
  EXPECT_TRUE(lists(sections_of(page.body).active, "prod-pagopa"));
  // With the token the same choice goes through.
  EXPECT_EQ(post("/area/environment",
                 {{"csrf", csrf}, {"product", "prod-pagopa"}, {"environment", "collaudo"}}),
            303u);
  EXPECT_EQ(b.get(stack.url("/pagopa/home")).status, 200u);
}

TEST_F(area, switching_party_changes_the_products_and_drops_the_environment_choices) {
  ASSERT_EQ(choose("prod-io", "produzione").status, 303u);
  ASSERT_EQ(b.get(stack.url("/io/x")).status, 200u);

  auto switched = b.post_form(stack.url("/area/party"), {{"csrf", csrf}, {"party", partner_id}});
  ASSERT_EQ(switched.status, 303u) << switched.body;
  EXPECT_EQ(switched.header("Location"), "/area?done=party_switched");

  auto page = b.get(stack.url(switched.header("Location")));
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("Ora stai operando per <strong>"), std::string::npos);
  const auto s = sections_of(page.body);
  EXPECT_TRUE(lists(s.active, "prod-io"));
  EXPECT_FALSE(lists(s.active, "prod-pagopa"));
  EXPECT_TRUE(lists(s.available, "prod-pagopa"));
  EXPECT_NE(page.body.find("Operatore"), std::string::npos);

  // The produzione choice made for the municipality does not carry over.
  auto io = b.get(stack.url("/io/x"));
  EXPECT_EQ(io.status, 302u);
  EXPECT_EQ(io.header("Location").rfind("/area/environment?product=prod-io", 0), 0u);
  // As OPERATOR of the partner only collaudo is offered, and produzione is refused if posted.
  auto envs = b.get(stack.url("/area/environment?product=prod-io"));
  EXPECT_FALSE(form_choosing(envs.body, "environments", "environment", "collaudo").action.empty());
  EXPECT_TRUE(form_choosing(envs.body, "environments", "environment", "produzione").action.empty());
  EXPECT_EQ(b.post_form(stack.url("/area/environment"),
                        {{"csrf", csrf}, {"product", "prod-io"}, {"environment", "produzione"}})
                .status,
            403u);
  ASSERT_EQ(choose("prod-io", "collaudo").status, 303u);
  auto portal = b.get(stack.url("/io/x"));
  ASSERT_EQ(portal.status, 200u);
  echoed seen(portal);
  EXPECT_EQ(seen.value("X-Varco-Environment"), "collaudo");
  EXPECT_EQ(seen.value("X-Varco-Party-Role"), "OPERATOR");
  EXPECT_EQ(seen.value("X-Varco-Party-Id"), partner_id);
  // pagoPA belongs to the previous party only.
  EXPECT_EQ(b.get(stack.url("/area/environment?product=prod-pagopa")).status, 403u);
}

TEST_F(area, a_party_the_user_does_not_belong_to_is_refused) {
  EXPECT_EQ(b.post_form(stack.url("/area/party"), {{"csrf", csrf}, {"party", bank_id}}).status,
            403u);
  EXPECT_EQ(b.post_form(stack.url("/area/party"), {{"csrf", csrf}, {"party", "nope"}}).status,
            403u);
  auto page = b.get(stack.url("/area"));
  EXPECT_TRUE(lists(sections_of(page.body).active, "prod-pagopa"));  // still the municipality
}

TEST_F(area, without_a_live_session_browsers_go_to_login_and_api_clients_get_401) {
  const auto target = std::string("/area/environment?product=prod-io");
  test::browser stranger;
  auto fresh = stranger.get(stack.url(target));
  EXPECT_EQ(fresh.status, 302u);
  EXPECT_EQ(fresh.header("Location"), "/login?return=%2Farea%2Fenvironment%3Fproduct%3Dprod-io");
  stranger.set_cookie("varco_session", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  auto expired = stranger.get(stack.url(target));
  EXPECT_EQ(expired.status, 302u);
  EXPECT_EQ(expired.header("Location"),
            "/login?return=%2Farea%2Fenvironment%3Fproduct%3Dprod-io&expired=1");
  auto api = http_get(stack.port(), "/area", {{"Accept", "application/json"}});
  EXPECT_EQ(api.status, 401u);
  EXPECT_EQ(json_field(api.body, "error"), "login_required");
}

TEST(area_without_party, a_user_of_no_party_gets_an_explanatory_page) {
  saml_stack stack(area_settings());
  test::browser b;
  auto acs = stack.login(b, giulia_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body;
  auto page = b.get(stack.url("/area"));
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("id=\"no-party\""), std::string::npos);
  EXPECT_NE(page.body.find("Giulia"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/area/support\""), std::string::npos);
  EXPECT_FALSE(csrf_of(page.body).empty());  // Esci is still there
  EXPECT_EQ(b.get(stack.url("/area/environment?product=prod-pagopa")).status, 403u);
}

}  // namespace
}  // namespace varco::integration
