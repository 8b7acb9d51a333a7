// Confirmations before Sospendi, Riattiva, Rimuovi and Aderisci: the dialogs on Utenti and
// Panoramica (opened by links that lead to the confirmation page without scripts), and that page.
#include "gateway/pages/page_renderer.hpp"
#include "gateway/pages/users_model.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;
using directory::party_role;

constexpr const char* luigi = "VRDLGU85B02F205X";

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

conf::config writable_config() {
  auto config = area_config();
  config.directory.backend = conf::directory_backend::redis;
  return config;
}

TEST(confirm_pages, every_row_action_opens_its_dialog_and_links_to_the_confirmation_page) {
  const auto config = writable_config();
  const auto dir = area_directory({member(luigi, comune, "prod-pagopa", party_role::operator_)});
  const auto view = build_area_view(area_session(), *dir, config);
  const auto users = build_users_view(area_session(), *dir, config);
  const auto html = page_renderer::for_this_thread().users(view, users, {});
  // Luigi's row: links, not forms (nothing is posted before the confirmation).
  EXPECT_TRUE(has(html,
                  "href=\"/area/users/member?user=VRDLGU85B02F205X&amp;product=prod-pagopa"
                  "&amp;action=suspend\" data-bs-toggle=\"modal\" "
                  "data-bs-target=\"#confirm-suspend\""));
  EXPECT_TRUE(
      has(html, "action=remove\" data-bs-toggle=\"modal\" data-bs-target=\"#confirm-remove\""));
  EXPECT_TRUE(has(html, "data-varco-user=\"VRDLGU85B02F205X\""));
  EXPECT_TRUE(has(html, "data-varco-product=\"prod-pagopa\""));
  // One dialog per action, posting the action; the names are slots the page script fills.
  for (const char* key : {"suspend", "reactivate", "remove"}) {
    const auto at = html.find(std::string("id=\"confirm-") + key + "\"");
    ASSERT_NE(at, std::string::npos) << key;
    const auto dialog = html.substr(at, html.find("</form>", at) - at);
    EXPECT_TRUE(has(dialog, "action=\"/area/users/member\"")) << key;
    EXPECT_TRUE(has(dialog, std::string("name=\"action\" value=\"") + key + "\"")) << key;
    EXPECT_TRUE(has(dialog, "name=\"user\" value=\"\" data-varco-slot=\"user\"")) << key;
    EXPECT_TRUE(has(dialog, "name=\"csrf\" value=\"csrf-token-0123456789\"")) << key;
    EXPECT_TRUE(has(dialog, "data-varco-slot=\"name\"")) << key;
  }
  EXPECT_TRUE(has(html, "class=\"btn btn-danger btn-sm\" type=\"submit\">Rimuovi</button>"));
  EXPECT_FALSE(has(html, "<form method=\"post\" action=\"/area/users/member\" class=\"d-inline\""));
}

TEST(confirm_pages, the_confirmation_page_names_the_user_and_product_and_posts_the_action) {
  const auto config = writable_config();
  const auto dir = area_directory();
  const auto view = build_area_view(area_session(), *dir, config);
  confirm_view page;
  page.action = confirmed_action::remove;
  page.member_name = "Luigi <Verdi>";
  page.member_fiscal_number = luigi;
  page.product_id = "prod-pagopa";
  page.product_title = "Piattaforma pagoPA";
  auto html = page_renderer::for_this_thread().confirm(view, page);
  EXPECT_TRUE(has(html, "<h1>Rimuovi utente</h1>"));
  EXPECT_TRUE(has(html,
                  "Vuoi rimuovere <strong data-varco-slot=\"name\">Luigi &lt;Verdi&gt;</strong> "
                  "da <strong data-varco-slot=\"product-title\">Piattaforma pagoPA</strong>?"));
  EXPECT_TRUE(has(html, "<form method=\"post\" action=\"/area/users/member\" id=\"confirm\">"));
  EXPECT_TRUE(has(html, "name=\"user\" value=\"VRDLGU85B02F205X\""));
  EXPECT_TRUE(has(html, "name=\"action\" value=\"remove\""));
  EXPECT_TRUE(has(html, "name=\"product\" value=\"prod-pagopa\""));
  EXPECT_TRUE(has(html, "href=\"/area/users\">Annulla</a>"));
  EXPECT_TRUE(has(html, "class=\"btn btn-danger\">Rimuovi</button>"));

  page.action = confirmed_action::join;
  page.product_id = "prod-pn";
  page.product_title = "SEND";
  html = page_renderer::for_this_thread(language::en).confirm(view, page);
  EXPECT_TRUE(has(html, "<h1>Join the product</h1>"));
  EXPECT_TRUE(has(html, "<strong>Comune di Valdoria</strong> to join"));
  EXPECT_TRUE(has(html, "action=\"/area/join\" id=\"confirm\""));
  EXPECT_FALSE(has(html, "name=\"user\""));
  EXPECT_TRUE(has(html, "href=\"/area\">Cancel</a>"));
}

TEST(confirm_pages, aderisci_opens_one_dialog_for_an_administrator_only) {
  const auto config = writable_config();
  const auto dir = area_directory();
  auto html =
      page_renderer::for_this_thread().overview(build_area_view(area_session(), *dir, config));
  EXPECT_TRUE(has(html,
                  "href=\"/area/join?product=prod-pn\" data-bs-toggle=\"modal\" "
                  "data-bs-target=\"#confirm-join\""));
  EXPECT_TRUE(has(html, "id=\"confirm-join\""));
  EXPECT_TRUE(has(
      html, "<strong>Comune di Valdoria</strong> a <strong data-varco-slot=\"product-title\">"));
  // An operator of the partner: no Aderisci, no dialog.
  auto partner_user = area_session();
  partner_user.selected_party = partner;
  html = page_renderer::for_this_thread().overview(build_area_view(partner_user, *dir, config));
  EXPECT_FALSE(has(html, "id=\"confirm-join\""));
}

}  // namespace
}  // namespace varco::gateway
