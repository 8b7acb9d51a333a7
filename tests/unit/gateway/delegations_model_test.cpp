// "I tuoi enti": query parsing, paging, search and the rows built from the directory's
// delegations (pure functions, no I/O).
#include "gateway/pages/delegations_model.hpp"

#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;

TEST(delegations_query, defaults_search_and_page_are_read) {
  auto none = parse_delegations_query("");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->search, "");
  EXPECT_EQ(none->page, 1u);

  auto both = parse_delegations_query("q=+Comune%20di+&page=3&utm_source=mail");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->search, "Comune di");  // trimmed, '+' and %20 as spaces
  EXPECT_EQ(both->page, 3u);
  // A page past any list is still a page number: clamping happens against the rows.
  EXPECT_EQ(parse_delegations_query("page=999999")->page, 999999u);
}

TEST(delegations_query, bad_queries_are_refused_with_their_reason) {
  const auto reason = [](std::string_view q) {
    auto parsed = parse_delegations_query(q);
    return parsed ? std::string("ok")
                  : std::string(reason_code(static_cast<delegations_errc>(parsed.error().value())));
  };
  EXPECT_EQ(reason("page=abc"), "bad_page");
  EXPECT_EQ(reason("page=0"), "bad_page");
  EXPECT_EQ(reason("page=-1"), "bad_page");
  EXPECT_EQ(reason("page=1.5"), "bad_page");
  EXPECT_EQ(reason("page="), "bad_page");
  EXPECT_EQ(reason("page=1000000"), "bad_page");  // seven digits
  EXPECT_EQ(reason("q=" + std::string(max_delegations_search_bytes, 'a')), "ok");
  EXPECT_EQ(reason("q=" + std::string(max_delegations_search_bytes + 1, 'a')), "search_too_long");
  EXPECT_EQ(reason("q=%zz"), "bad_query");
  EXPECT_EQ(reason("q=a&q=b"), "bad_query");
  EXPECT_EQ(parse_delegations_query("page=x").error().category().name(),
            std::string("varco.delegations"));
}

TEST(delegations_paging, slices_clamp_to_the_last_page) {
  struct row {
    std::size_t total, requested, page, pages, first, count;
  };
  const row table[] = {
      {0, 1, 1, 1, 0, 0},    // empty: one empty page
      {0, 5, 1, 1, 0, 0},    //   any page of it is that page
      {10, 1, 1, 1, 0, 10},  // exactly one page
      {11, 1, 1, 2, 0, 10},  //
      {11, 2, 2, 2, 10, 1},  // the last page holds the remainder
      {11, 9, 2, 2, 10, 1},  // past the end → the last page
      {25, 3, 3, 3, 20, 5},  //
      {25, 999999, 3, 3, 20, 5},
  };
  for (const auto& r : table) {
    const auto s = slice_page(r.total, 10, r.requested);
    EXPECT_EQ(s.page, r.page) << r.total << "/" << r.requested;
    EXPECT_EQ(s.pages, r.pages) << r.total << "/" << r.requested;
    EXPECT_EQ(s.first, r.first) << r.total << "/" << r.requested;
    EXPECT_EQ(s.count, r.count) << r.total << "/" << r.requested;
  }
}

std::string numbers(const std::vector<page_link>& links) {
  std::string out;
  for (const auto& l : links) {
    if (!out.empty()) out += ' ';
    out += l.number == 0 ? "…"
           : l.current   ? "[" + std::to_string(l.number) + "]"
                         : std::to_string(l.number);
  }
  return out;
}

TEST(delegations_paging, the_bar_shows_first_last_and_neighbours_with_gaps) {
  EXPECT_EQ(numbers(pagination_links(1, 2, "")), "[1] 2");
  EXPECT_EQ(numbers(pagination_links(1, 5, "")), "[1] 2 3 … 5");
  EXPECT_EQ(numbers(pagination_links(5, 10, "")), "1 … 3 4 [5] 6 7 … 10");
  EXPECT_EQ(numbers(pagination_links(10, 10, "")), "1 … 8 9 [10]");
  EXPECT_EQ(numbers(pagination_links(4, 7, "")), "1 2 3 [4] 5 6 7");
  const auto links = pagination_links(2, 3, "San Lorenzo & co");
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].url, "/area/delegations?q=San%20Lorenzo%20%26%20co");
  EXPECT_EQ(links[2].url, "/area/delegations?q=San%20Lorenzo%20%26%20co&page=3");
  EXPECT_EQ(delegations_url("", 2), "/area/delegations?page=2");
  EXPECT_EQ(delegations_url("", 1), "/area/delegations");
}

TEST(delegations_text, dates_and_case_insensitive_search) {
  EXPECT_EQ(italian_date("2025-03-14"), "14/03/2025");
  EXPECT_EQ(italian_date("2025-3-14"), "2025-3-14");  // not ISO: shown as written
  EXPECT_EQ(italian_date(""), "");
  EXPECT_TRUE(contains_ignoring_case("Comune di Valdoria", "VALDO"));
  EXPECT_TRUE(contains_ignoring_case("Comune di Valdoria", ""));
  EXPECT_FALSE(contains_ignoring_case("Comune di Valdoria", "Castel"));
  // Accented capitals fold too (UTF-8 À…Þ → à…þ); × is not a letter and stays itself.
  EXPECT_TRUE(contains_ignoring_case("UNIVERSITÀ DEGLI STUDI", "università"));
  EXPECT_TRUE(contains_ignoring_case("Società Èlite", "società èlite"));
  EXPECT_FALSE(contains_ignoring_case("a×b", "a÷b"));
}

// A partner with `count` delegating institutions ("Ente 01" … ), the first also on a second
// product, plus a PA party.
std::shared_ptr<const directory::snapshot> partner_directory(int count) {
  std::vector<directory::party> parties;
  directory::party partner_party;
  partner_party.id = partner;
  partner_party.name = "Tecnopartner S.r.l.";
  partner_party.type = "PT";
  parties.push_back(partner_party);
  directory::party comune_party;
  comune_party.id = comune;
  comune_party.name = "Comune di Valdoria";
  comune_party.type = "PA";
  comune_party.fiscal_code = "80012340123";
  parties.push_back(comune_party);
  std::vector<directory::delegation> delegations;
  for (int i = count; i >= 1; --i) {  // reverse order: the view sorts
    directory::party p;
    p.id = "ente-" + std::to_string(i);
    p.name = std::string(i < 10 ? "Ente 0" : "Ente ") + std::to_string(i);
    p.type = "PA";
    p.fiscal_code = "800000000" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    parties.push_back(p);
    delegations.push_back({p.id, partner, "prod-pagopa", "2025-01-0" + std::to_string(i % 9 + 1)});
  }
  delegations.push_back({"ente-1", partner, "prod-io", "2024-12-31"});
  delegations.push_back({comune, partner, "prod-unknown", "2025-06-01"});
  using directory::party_role;
  std::vector<directory::membership> memberships = {
      member(admin_cf, comune, "prod-pagopa", party_role::manager),
      member(admin_cf, partner, "prod-pagopa", party_role::operator_),
  };
  return std::make_shared<const directory::snapshot>(std::move(parties), std::move(memberships),
                                                     std::move(delegations), 1);
}

delegations_view view_for(const directory::snapshot& dir, const std::string& party,
                          std::string search = {}, std::size_t page = 1) {
  const auto config = area_config();
  const auto area = build_area_view(area_session(party), dir, config);
  return build_delegations_view(area, dir, config, {std::move(search), page});
}

TEST(delegations_view, rows_one_per_product_sorted_and_paged) {
  const auto dir = partner_directory(12);  // 12 + 1 (IO) + 1 (Valdoria) = 14 rows
  const auto first = view_for(*dir, partner);
  ASSERT_TRUE(first.applies);
  EXPECT_EQ(first.partner_name, "Tecnopartner S.r.l.");
  EXPECT_EQ(first.total, 14u);
  EXPECT_EQ(first.slice.pages, 2u);
  ASSERT_EQ(first.rows.size(), 10u);
  // Comune… sorts before Ente…; Ente 01 has two rows, App IO before Piattaforma pagoPA.
  EXPECT_EQ(first.rows[0].name, "Comune di Valdoria");
  EXPECT_EQ(first.rows[0].product_title, "prod-unknown");  // not in the config: the id
  EXPECT_EQ(first.rows[1].name, "Ente 01");
  EXPECT_EQ(first.rows[1].product_title, "App IO");
  EXPECT_EQ(first.rows[1].since, "31/12/2024");
  EXPECT_EQ(first.rows[2].name, "Ente 01");
  EXPECT_EQ(first.rows[2].product_title, "Piattaforma pagoPA");
  EXPECT_EQ(first.rows[2].fiscal_code, "80000000001");
  EXPECT_TRUE(first.previous_url.empty());
  EXPECT_EQ(first.next_url, "/area/delegations?page=2");
  ASSERT_EQ(first.links.size(), 2u);
  EXPECT_TRUE(first.links[0].current);

  const auto second = view_for(*dir, partner, "", 2);
  ASSERT_EQ(second.rows.size(), 4u);
  EXPECT_EQ(second.rows[0].name, "Ente 09");
  EXPECT_EQ(second.rows[3].name, "Ente 12");
  EXPECT_EQ(second.previous_url, "/area/delegations");
  EXPECT_TRUE(second.next_url.empty());
  // Past the end: the last page.
  const auto past = view_for(*dir, partner, "", 7);
  EXPECT_EQ(past.slice.page, 2u);
  EXPECT_EQ(past.rows.size(), 4u);
}

TEST(delegations_view, search_matches_name_or_fiscal_code_ignoring_case) {
  const auto dir = partner_directory(12);
  const auto by_name = view_for(*dir, partner, "ente 1");
  EXPECT_EQ(by_name.total, 3u);  // Ente 10, 11, 12 (not "Ente 01")
  for (const auto& row : by_name.rows) EXPECT_EQ(row.name.rfind("Ente 1", 0), 0u) << row.name;
  EXPECT_EQ(by_name.slice.pages, 1u);
  EXPECT_TRUE(by_name.links.empty());

  const auto by_code = view_for(*dir, partner, "80012340123");
  ASSERT_EQ(by_code.total, 1u);
  EXPECT_EQ(by_code.rows[0].name, "Comune di Valdoria");

  const auto nothing = view_for(*dir, partner, "Milano");
  EXPECT_TRUE(nothing.applies);
  EXPECT_EQ(nothing.total, 0u);
  EXPECT_TRUE(nothing.rows.empty());
  EXPECT_EQ(nothing.slice.pages, 1u);
  EXPECT_EQ(nothing.search, "Milano");
}

TEST(delegations_view, another_party_type_does_not_apply) {
  const auto dir = partner_directory(3);
  const auto view = view_for(*dir, comune);
  EXPECT_FALSE(view.applies);
  EXPECT_EQ(view.partner_name, "Comune di Valdoria");
  EXPECT_EQ(view.partner_type, "Pubblica Amministrazione");
  EXPECT_TRUE(view.rows.empty());
  // The area's party flag drives the header's "I tuoi enti" entry.
  const auto config = area_config();
  EXPECT_FALSE(build_area_view(area_session(comune), *dir, config).current_is_partner);
  EXPECT_TRUE(build_area_view(area_session(partner), *dir, config).current_is_partner);
}

}  // namespace
}  // namespace varco::gateway
