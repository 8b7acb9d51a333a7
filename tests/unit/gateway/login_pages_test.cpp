// The pages anyone may see, in the Area Riservata's frame: the login page (SPID button, IdP list,
// CIE slot, the group of other providers), a refused login (a courtesy text for every SPID
// anomaly), the logged-out page, the gateway's error page and the legal texts; escaping, one
// language per page, the language switch that keeps the page's query, and the frame with or
// without a signed-in user.
#include "gateway/pages/login_pages.hpp"

#include "gateway/pages/page_renderer.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;

bool has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

page_renderer& renderer(language lang = language::it, std::string_view target = "/login") {
  page_context context;
  context.lang = lang;
  context.target = std::string(target);
  context.brand_name = "Ente <gestore>";
  context.brand_logo = std::string(default_brand_logo);
  context.support_email = "assistenza@ente.it";
  return page_renderer::for_this_thread(context);
}

TEST(login_pages, every_spid_anomaly_has_an_italian_and_english_text) {
  for (const char* code : {"nr19", "nr20", "nr21", "nr22", "nr23", "nr25", "nr30"}) {
    auto text = spid_anomaly_text(code);
    EXPECT_FALSE(text.it.empty()) << code;
    EXPECT_FALSE(text.en.empty()) << code;
    const login_error_view e{403, "spid_anomaly", code, "rid"};
    const auto italian = renderer().login_error(e);
    EXPECT_TRUE(has(italian, "href=\"/login\"")) << code;
    EXPECT_FALSE(has(italian, std::string(text.en).substr(0, 20))) << code << ": one language";
    const auto english = renderer(language::en).login_error(e);
    EXPECT_TRUE(has(english, "<html lang=\"en\">"));
    EXPECT_FALSE(has(english, std::string(text.it).substr(0, 20))) << code;
  }
  EXPECT_TRUE(spid_anomaly_text("nr24").it.empty());
  EXPECT_TRUE(spid_anomaly_text("").it.empty());
}

TEST(login_pages, the_login_page_offers_spid_idps_and_the_cie_slot) {
  login_view page;
  page.spid = {{"IdP <Esempio>", "/static/spid/idp-logos/x.svg",
                "/saml/login?idp=https%3A%2F%2Fidp.example%2Fx&return=%2Farea%2Fusers"}};
  auto html = renderer().login(page);
  EXPECT_TRUE(has(html, "Come vuoi accedere all&#39;Area Riservata?") ||
              has(html, "Come vuoi accedere all'Area Riservata?"));
  EXPECT_TRUE(has(html, "id=\"spid-button\""));
  EXPECT_TRUE(has(html, "Entra con SPID"));
  EXPECT_TRUE(has(html, "IdP &lt;Esempio&gt;"));  // escaped
  EXPECT_TRUE(
      has(html, "/saml/login?idp=https%3A%2F%2Fidp.example%2Fx&amp;return=%2Farea%2Fusers"));
  EXPECT_TRUE(has(html, "src=\"/static/spid/idp-logos/x.svg\""));
  EXPECT_TRUE(has(html, "id=\"cie-button\" disabled"));
  EXPECT_TRUE(has(html, "Presto disponibile"));
  EXPECT_FALSE(has(html, "id=\"other-logins\""));  // no standard provider, no empty group
  EXPECT_TRUE(has(html, "href=\"/terms\""));
  EXPECT_TRUE(has(html, "href=\"/privacy\""));
  // The public frame: brand, language switch, footer with the mailto Assistenza; no user menu.
  EXPECT_TRUE(has(html, "Ente &lt;gestore&gt;"));
  EXPECT_TRUE(has(html, "href=\"/login?lang=en\""));
  EXPECT_TRUE(has(html, "href=\"mailto:assistenza@ente.it\""));
  EXPECT_FALSE(has(html, "id=\"user-menu\""));
  EXPECT_FALSE(has(html, "style=\""));
  EXPECT_FALSE(has(html, "<style"));
  EXPECT_FALSE(has(html, "<script>"));

  page.cie = idp_entry{"CIE", "", "/saml/login?idp=https%3A%2F%2Fcie.example&return=%2Farea"};
  html = renderer().login(page);
  EXPECT_FALSE(has(html, "Presto disponibile"));
  EXPECT_TRUE(has(html, "href=\"/saml/login?idp=https%3A%2F%2Fcie.example&amp;return=%2Farea\""));

  const auto english = renderer(language::en, "/login?return=%2Farea").login(page);
  EXPECT_TRUE(has(english, "<html lang=\"en\">"));
  EXPECT_TRUE(has(english, "Log in with SPID"));
  EXPECT_FALSE(has(english, "Entra con SPID"));
  EXPECT_TRUE(has(english, "href=\"/login?lang=it&amp;return=%2Farea\""));
}

TEST(login_pages, standard_providers_are_a_group_of_their_own_below_spid_and_cie) {
  login_view page;
  page.spid = {{"OP <SPID>", "", "/oidc/login?provider=spid-op&return=%2Farea"}};
  page.cie = idp_entry{"CIE id", "", "/oidc/login?provider=cie-op&return=%2Farea"};
  page.others = {{"Broker <regionale>", "/static/logos/broker.svg",
                  "/oidc/login?provider=broker&return=%2Farea"},
                 {"Keycloak", "", "/oidc/login?provider=keycloak"}};
  const auto html = renderer().login(page);
  // In the SPID menu as any IdP, and the CIE button a link to its provider.
  EXPECT_TRUE(has(html, "href=\"/oidc/login?provider=spid-op&amp;return=%2Farea\""));
  EXPECT_TRUE(has(html, "OP &lt;SPID&gt;"));
  EXPECT_TRUE(
      has(html, "id=\"cie-button\" href=\"/oidc/login?provider=cie-op&amp;return=%2Farea\""));
  EXPECT_FALSE(has(html, "Presto disponibile"));
  // The group: a heading that labels it, one button each, after the SPID and CIE buttons.
  EXPECT_TRUE(has(html, "aria-labelledby=\"other-logins-title\""));
  EXPECT_TRUE(has(html, ">Altri metodi di accesso</h2>"));
  EXPECT_TRUE(has(html, "href=\"/oidc/login?provider=broker&amp;return=%2Farea\""));
  EXPECT_TRUE(has(html, "<span>Accedi con Broker &lt;regionale&gt;</span>"));  // escaped
  EXPECT_TRUE(has(html, "src=\"/static/logos/broker.svg\" alt=\"\" class=\"varco-other-logo\""));
  EXPECT_TRUE(has(html, "<span>Accedi con Keycloak</span>"));
  EXPECT_LT(html.find("id=\"cie-button\""), html.find("id=\"other-logins\""));
  EXPECT_LT(html.find("Accedi con Broker"), html.find("Accedi con Keycloak"));  // config order
  EXPECT_FALSE(has(html, "style=\""));

  const auto english = renderer(language::en).login(page);
  EXPECT_TRUE(has(english, ">Other ways to log in</h2>"));
  EXPECT_TRUE(has(english, "<span>Log in with Broker &lt;regionale&gt;</span>"));
  EXPECT_TRUE(has(english, "<span>Log in with Keycloak</span>"));
  EXPECT_TRUE(has(english, "Log in with CIE"));
  EXPECT_FALSE(has(english, "Accedi con"));
  EXPECT_FALSE(has(english, "Altri metodi"));
}

TEST(login_pages, logged_out_and_error_pages_are_in_the_frame_in_one_language) {
  const auto out = renderer().logged_out(true);
  EXPECT_TRUE(has(out, "id=\"logged-out\""));
  EXPECT_TRUE(has(out, "Anche il gestore di identità ha chiuso la sessione."));
  EXPECT_TRUE(has(out, "href=\"/login\""));

  error_view e{502,
               "upstream_unavailable",
               "Servizio non raggiungibile",
               "Service unavailable",
               "dettaglio",
               "detail",
               "<script>alert(1)</script>",
               "Collaudo",
               "abc123"};
  const auto italian = renderer(language::it, "/pagopa/x").error(e);
  EXPECT_FALSE(has(italian, "<script>alert"));
  EXPECT_TRUE(has(italian, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(has(italian, "Servizio non raggiungibile"));
  EXPECT_FALSE(has(italian, "Service unavailable"));
  EXPECT_TRUE(has(italian, "<code>upstream_unavailable</code>"));  // the details line
  EXPECT_TRUE(has(italian, "abc123"));
  EXPECT_TRUE(has(italian, "href=\"/login\""));  // nobody signed in: the way back is the login
  const auto english = renderer(language::en, "/pagopa/x").error(e);
  EXPECT_TRUE(has(english, "Service unavailable"));
  EXPECT_FALSE(has(english, "Servizio non raggiungibile"));
}

TEST(login_pages, an_error_for_a_signed_in_user_keeps_the_areas_frame) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  error_view e{404, "no_route", "Pagina non trovata", "Page not found", "d", "d", "", "", "r"};
  const auto html = renderer(language::it, "/area/nope").error(e, &view);
  EXPECT_TRUE(has(html, "id=\"user-menu\""));
  EXPECT_TRUE(has(html, "href=\"/area\""));
  EXPECT_TRUE(has(html, "Torna alla Panoramica"));
  EXPECT_TRUE(has(html, "action=\"/logout\""));
}

TEST(login_pages, a_legal_text_keeps_the_frame_of_who_reads_it) {
  legal_view page{"Termini e condizioni d'uso", "<p>Testo.</p>\n", true};
  const auto anonymous = renderer(language::it, "/terms").legal(page, nullptr);
  EXPECT_TRUE(has(anonymous, "<p>Testo.</p>"));
  EXPECT_TRUE(has(anonymous, "href=\"/login\""));
  EXPECT_TRUE(has(anonymous, "href=\"/terms?lang=en\""));
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  const auto signed_in = renderer(language::it, "/terms").legal(page, &view);
  EXPECT_TRUE(has(signed_in, "Torna alla Panoramica"));
  EXPECT_TRUE(has(signed_in, "id=\"user-menu\""));
  page.translated = false;
  EXPECT_TRUE(has(renderer(language::en, "/terms").legal(page, nullptr), "Italian only"));
}

TEST(login_pages, the_language_switch_keeps_the_pages_query) {
  EXPECT_EQ(language_switch_url("/area", language::en), "/area?lang=en");
  EXPECT_EQ(language_switch_url("/area/environment?product=prod-io", language::en),
            "/area/environment?lang=en&product=prod-io");
  EXPECT_EQ(language_switch_url("/area/delegations?q=valdoria&page=2&lang=en", language::it),
            "/area/delegations?lang=it&q=valdoria&page=2");
  EXPECT_EQ(language_switch_url("/area/support/sent?ticket=1-0&lang=it&x", language::en),
            "/area/support/sent?lang=en&ticket=1-0&x");
  EXPECT_EQ(language_switch_url("", language::en), "/?lang=en");
}

TEST(login_pages, error_json_is_not_escaped_html) {
  login_error e{400, "<script>", "", "\"id\""};
  EXPECT_TRUE(has(render_login_error_json(e), "\"error\":\"<script>\""));
}

}  // namespace
}  // namespace varco::gateway
