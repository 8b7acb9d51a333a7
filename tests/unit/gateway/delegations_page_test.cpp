// The "I tuoi enti" page as rendered: the table's accessibility markup, the search form, the
// pagination bar at both ends, the empty and not-applicable texts, and the header entry that
// appears for technology partners only.
#include "gateway/pages/page_renderer.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

delegations_view listing(std::size_t page, std::size_t pages, std::string search = {}) {
  delegations_view view;
  view.applies = true;
  view.partner_name = "Tecnopartner S.r.l.";
  view.search = std::move(search);
  view.total = 14;
  view.slice = {page, pages, (page - 1) * 10, 1};
  view.rows = {{"p-comune", "Comune di <Valdoria>", "80012340123", "prod-pagopa",
                "Piattaforma pagoPA", "14/03/2025"}};
  view.links = pagination_links(page, pages, view.search);
  if (page > 1) view.previous_url = delegations_url(view.search, page - 1);
  if (page < pages) view.next_url = delegations_url(view.search, page + 1);
  return view;
}

std::string render(const delegations_view& view, const std::string& party = partner) {
  const auto config = area_config();
  const auto area = build_area_view(area_session(party), *area_directory(), config);
  return page_renderer::for_this_thread().delegations(area, view);
}

TEST(delegations_page, table_search_form_and_pagination_on_the_first_page) {
  const auto html = render(listing(1, 2, "Valdoria & co"));
  EXPECT_TRUE(has(html, "<title>I tuoi enti · Area Riservata</title>"));
  EXPECT_TRUE(has(html, "<h1>I tuoi enti</h1>"));
  EXPECT_TRUE(has(html, "<caption>Enti che hanno delegato Tecnopartner S.r.l., pagina 1 di 2"));
  EXPECT_TRUE(has(html, "<th scope=\"col\">Ente</th>"));
  EXPECT_TRUE(has(html, "<th scope=\"col\">Codice fiscale</th>"));
  EXPECT_TRUE(has(html, "<th scope=\"col\">Prodotto</th>"));
  EXPECT_TRUE(has(html, "<th scope=\"col\">Delegato dal</th>"));
  EXPECT_TRUE(has(html, "<th scope=\"row\">Comune di &lt;Valdoria&gt;</th>"));
  EXPECT_TRUE(has(html, "<td>14/03/2025</td>"));
  // The search: a GET form with a label bound to its field, the search kept in it.
  EXPECT_TRUE(has(html, "<form method=\"get\" action=\"/area/delegations\""));
  EXPECT_TRUE(has(html, "<label for=\"q\""));
  EXPECT_TRUE(has(html, "id=\"q\" name=\"q\" value=\"Valdoria &amp; co\""));
  EXPECT_TRUE(has(html, "14 deleghe per «Valdoria &amp; co»"));
  // Pagination: labelled nav, current page marked, previous disabled, next a link.
  EXPECT_TRUE(has(html, "<nav class=\"pagination-wrapper\" aria-label=\"Pagine degli enti\">"));
  EXPECT_TRUE(has(html, "aria-current=\"page\"><span class=\"visually-hidden\">Pagina </span>1<"));
  EXPECT_TRUE(has(html,
                  "<li class=\"page-item disabled\"><span class=\"page-link\" "
                  "aria-disabled=\"true\">"));
  EXPECT_TRUE(has(html, "href=\"/area/delegations?q=Valdoria%20%26%20co&amp;page=2\""));
  EXPECT_TRUE(has(html, "Pagina successiva"));
}

TEST(delegations_page, last_page_disables_next) {
  const auto html = render(listing(2, 2));
  EXPECT_TRUE(has(html, "<a class=\"page-link\" href=\"/area/delegations\"><svg"));  // previous
  const auto next = html.find("Pagina successiva");
  ASSERT_NE(next, std::string::npos);
  const auto item = html.rfind("<li", next);
  EXPECT_EQ(html.substr(item, 31), "<li class=\"page-item disabled\">");
}

TEST(delegations_page, one_page_has_no_bar_and_empty_results_say_so) {
  auto view = listing(1, 1);
  view.links.clear();
  const auto single = render(view);
  EXPECT_FALSE(has(single, "pagination"));
  EXPECT_FALSE(has(single, "Mostra tutti"));
  view.rows.clear();
  view.total = 0;
  view.search = "Milano";
  const auto html = render(view);
  EXPECT_TRUE(has(html, "Nessun ente trovato"));
  EXPECT_TRUE(has(html, "«Milano»"));
  EXPECT_FALSE(has(html, "<table"));
}

TEST(delegations_page, another_party_type_gets_the_explanation) {
  delegations_view view;
  view.partner_name = "Comune di Valdoria";
  view.partner_type = "Pubblica Amministrazione";
  const auto html = render(view, comune);
  EXPECT_TRUE(has(html, "id=\"not-a-partner\""));
  EXPECT_TRUE(has(html, "Comune di Valdoria (Pubblica Amministrazione), non è un"));
  EXPECT_FALSE(has(html, "<table"));
  EXPECT_FALSE(has(html, "action=\"/area/delegations\""));
}

TEST(delegations_page, the_header_offers_i_tuoi_enti_only_to_a_partner) {
  const auto config = area_config();
  const auto dir = area_directory();
  auto& renderer = page_renderer::for_this_thread();
  const auto as_partner = renderer.overview(build_area_view(area_session(partner), *dir, config));
  const auto as_comune = renderer.overview(build_area_view(area_session(comune), *dir, config));
  EXPECT_TRUE(has(as_partner, "<a class=\"nav-link\" href=\"/area/delegations\">"));
  EXPECT_FALSE(has(as_comune, "href=\"/area/delegations\""));
  EXPECT_TRUE(has(as_comune, "id=\"products-menu\""));
}

}  // namespace
}  // namespace varco::gateway
