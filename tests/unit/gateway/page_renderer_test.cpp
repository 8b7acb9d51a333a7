#include "gateway/portal/page_renderer.hpp"

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
  EXPECT_EQ(names, (std::set<std::string_view>{"avatar", "delegations", "environment", "error",
                                               "layout", "legal", "logged_out", "login",
                                               "login_error", "no_party", "overview", "support",
                                               "support_sent", "suspended", "users"}));
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
  EXPECT_TRUE(has(html, "name=\"environment\" value=\"collaudo\""));
  EXPECT_TRUE(has(html, "name=\"product\" value=\"prod-io\""));
  EXPECT_TRUE(has(html, "name=\"return\" value=\"/prod-io/x?a=1&amp;b=2\""));
  EXPECT_TRUE(has(html, "name=\"csrf\" value=\"csrf-token-0123456789\""));
  EXPECT_TRUE(has(html, ">Ambiente di Collaudo</button>"));
  // The redirect-mode environment is a button like the others, with a note saying where it leads.
  EXPECT_TRUE(has(html, "aria-describedby=\"env-esterno-external\">Ambiente esterno</button>"));
  EXPECT_TRUE(has(html, "id=\"env-esterno-external\""));
  EXPECT_FALSE(has(html, "disabled"));
}

}  // namespace
}  // namespace varco::gateway
