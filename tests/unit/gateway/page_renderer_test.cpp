#include "gateway/pages/page_renderer.hpp"

#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

#include <set>

namespace varco::gateway {
namespace {

using namespace area_testing;

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

TEST(page_renderer, every_embedded_template_parses) {
  std::set<std::string_view> names;
  for (const auto& t : embedded_page_templates()) names.insert(t.name);
  EXPECT_EQ(names, (std::set<std::string_view>{"avatar",
                                               "confirm",
                                               "confirm_dialog",
                                               "confirm_text",
                                               "delegations",
                                               "environment",
                                               "environment_dialog",
                                               "environment_options",
                                               "error",
                                               "layout",
                                               "legal",
                                               "logged_out",
                                               "login",
                                               "login_error",
                                               "member_data",
                                               "no_party",
                                               "overview",
                                               "support",
                                               "support_sent",
                                               "suspended",
                                               "users"}));
  EXPECT_NO_THROW(page_renderer{});
}

TEST(page_renderer, overview_has_the_layout_the_user_and_the_products) {
  const auto config = area_config();
  const auto html = page_renderer::for_this_thread().overview(
      build_area_view(area_session(), *area_directory(), config));
  EXPECT_TRUE(has(html, "<html lang=\"it\">"));
  EXPECT_TRUE(has(html, "href=\"#main\""));  // skip link
  EXPECT_TRUE(has(html, "/static/bootstrap-italia/css/bootstrap-italia.min.css"));
  // Only the components the pages use (web/ui/varco-ui.js), not Bootstrap Italia's 1 MB bundle.
  EXPECT_TRUE(has(html, "<script src=\"/static/varco/varco-ui.js\" defer></script>"));
  EXPECT_FALSE(has(html, "bootstrap-italia.bundle.min.js"));
  EXPECT_TRUE(has(html, "/static/varco/fonts.css"));
  EXPECT_TRUE(has(html, "rel=\"icon\""));
  EXPECT_FALSE(has(html, "style=\""));  // the CSP forbids inline styles
  // The phone menu: Bootstrap Italia's collapsible navigation, the party switch inside it.
  EXPECT_TRUE(has(html, "data-bs-toggle=\"navbarcollapsible\""));
  EXPECT_TRUE(has(html, "class=\"varco-mobile-party d-lg-none\""));
  EXPECT_TRUE(has(html, "id=\"who\""));
  EXPECT_TRUE(has(html, "Mario Rossi"));
  EXPECT_TRUE(has(html, admin_cf));
  EXPECT_TRUE(has(html, "data-provider=\"cie\">Accesso con CIE"));
  EXPECT_TRUE(has(html, "<form method=\"post\" action=\"/logout\""));
  EXPECT_TRUE(has(html, "name=\"csrf\" value=\"csrf-token-0123456789\""));
  // The switcher: one form per party, with the role there.
  EXPECT_TRUE(has(html, "name=\"party\" value=\"p-comune\""));
  EXPECT_TRUE(has(html, "name=\"party\" value=\"p-partner\""));
  EXPECT_TRUE(has(html, "Amministratore"));
  EXPECT_TRUE(has(html, "Operatore"));
  EXPECT_TRUE(has(html, "Prodotti attivi"));
  EXPECT_TRUE(has(html, "Prodotti disponibili"));
  EXPECT_TRUE(has(html, "href=\"/area/environment?product=prod-pagopa\""));
  EXPECT_FALSE(has(html, "href=\"/area/environment?product=prod-pn\""));
  EXPECT_TRUE(has(html, "SEND"));
  EXPECT_TRUE(has(html, "c_v001"));
  EXPECT_TRUE(has(html, "href=\"/area/support\""));
  EXPECT_TRUE(has(html, "href=\"/terms\""));
  EXPECT_TRUE(has(html, "href=\"/privacy\""));
}

TEST(page_renderer, directory_text_is_escaped) {
  const auto config = area_config();
  const auto dir = area_directory({}, "<script>alert('x')</script> & \"co\"");
  const auto html =
      page_renderer::for_this_thread().overview(build_area_view(area_session(), *dir, config));
  EXPECT_FALSE(has(html, "<script>alert"));
  EXPECT_TRUE(has(html, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;co&quot;"));
}

TEST(page_renderer, user_without_parties_gets_an_explanation_and_the_support_link) {
  const auto config = area_config();
  auto user = area_session("");
  user.attributes["fiscalNumber"] = "NREGLI90D45L219R";
  const auto html =
      page_renderer::for_this_thread().overview(build_area_view(user, *area_directory(), config));
  EXPECT_TRUE(has(html, "id=\"no-party\""));
  EXPECT_TRUE(has(html, "non è ancora associata a nessun ente"));
  EXPECT_TRUE(has(html, "href=\"/area/support\""));
  EXPECT_TRUE(has(html, "action=\"/logout\""));
  EXPECT_FALSE(has(html, "action=\"/area/party\""));
  EXPECT_FALSE(has(html, "Prodotti attivi"));
}

TEST(page_renderer, environment_page_posts_each_allowed_environment_with_the_token) {
  const auto config = area_config();
  const auto dir =
      area_directory({member(admin_cf, comune, "prod-io", directory::party_role::manager)});
  const auto view = build_area_view(area_session(), *dir, config);
  auto io = environment_choices(area_session(), *dir, config, "prod-io");
  ASSERT_TRUE(io);
  io->return_path = "/prod-io/x?a=1&b=2";
  const auto html = page_renderer::for_this_thread().environment_choice(view, *io);
  EXPECT_TRUE(has(html, "In quale ambiente vuoi entrare?"));
  EXPECT_TRUE(has(html, "action=\"/area/environment\""));
  // One form: a radio per environment (the first preselected) and "Entra".
  EXPECT_TRUE(has(
      html, "type=\"radio\" name=\"environment\" id=\"env-page-1\" value=\"collaudo\" checked"));
  EXPECT_TRUE(has(
      html, "<label class=\"form-check-label\" for=\"env-page-1\">Ambiente di Collaudo</label>"));
  EXPECT_TRUE(has(html, "name=\"product\" value=\"prod-io\""));
  EXPECT_TRUE(has(html, "name=\"return\" value=\"/prod-io/x?a=1&amp;b=2\""));
  EXPECT_TRUE(has(html, "name=\"csrf\" value=\"csrf-token-0123456789\""));
  EXPECT_TRUE(has(html, ">Entra</button>"));
  // The redirect-mode environment is an option like the others, with a note saying where it leads.
  EXPECT_TRUE(has(html, "value=\"esterno\" aria-describedby=\"env-page-2-external\">"));
  EXPECT_TRUE(has(html, "id=\"env-page-2-external\""));
  EXPECT_FALSE(has(html, "disabled"));
}

TEST(page_renderer, gestisci_opens_the_environment_dialog_and_the_page_stays_the_fallback) {
  const auto config = area_config();
  auto user = area_session();
  user.environments["prod-pagopa"] = "produzione";
  const auto html =
      page_renderer::for_this_thread().overview(build_area_view(user, *area_directory(), config));
  // The card's link still leads to the page (no script), and opens the dialog with one.
  EXPECT_TRUE(has(html,
                  "href=\"/area/environment?product=prod-pagopa\" data-bs-toggle=\"modal\" "
                  "data-bs-target=\"#env-dialog-p1\""));
  EXPECT_TRUE(has(html, "id=\"env-dialog-p1\" aria-labelledby=\"env-dialog-p1-title\""));
  EXPECT_TRUE(has(html, "id=\"env-dialog-p1-title\">In quale ambiente vuoi entrare?</h2>"));
  // The session's choice is preselected; the dialog posts the same form as the page.
  EXPECT_TRUE(has(html, "id=\"env-p1-2\" value=\"produzione\" checked"));
  EXPECT_FALSE(has(html, "id=\"env-p1-1\" value=\"collaudo\" checked"));
  const auto dialog = html.substr(html.find("id=\"env-dialog-p1\""));
  EXPECT_TRUE(has(dialog, "<form method=\"post\" action=\"/area/environment\">"));
  EXPECT_TRUE(has(dialog, "name=\"product\" value=\"prod-pagopa\""));
  EXPECT_TRUE(has(dialog, "name=\"csrf\" value=\"csrf-token-0123456789\""));
  // The header's products menu opens the same dialog.
  EXPECT_TRUE(
      has(html,
          "class=\"dropdown-item list-item\" href=\"/area/environment?product=prod-pagopa\" "
          "data-bs-toggle=\"modal\" data-bs-target=\"#env-dialog-p1\""));
  // English: the dialog's words too.
  const auto english = page_renderer::for_this_thread(language::en)
                           .overview(build_area_view(user, *area_directory(), config));
  EXPECT_TRUE(has(english, "Which environment do you want to enter?"));
  EXPECT_TRUE(has(english, ">Enter</button>"));
}

}  // namespace
}  // namespace varco::gateway
