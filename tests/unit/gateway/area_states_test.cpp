// The states the Panoramica tells apart, in the model and on the page: no institution at all, an
// access suspended (on every party, on one party, on one product), and who may ask to join an
// available product (an administrator, an operator, an administrator over the read-only file).
#include "gateway/pages/area_model.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;
using directory::membership_status;
using directory::party_role;

constexpr const char* other_cf = "BNCNNA75C41H501X";

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

std::vector<std::string> names(const std::vector<party_choice>& parties) {
  std::vector<std::string> out;
  out.reserve(parties.size());
  for (const auto& p : parties) out.push_back(p.name);
  return out;
}

std::vector<std::string> ids(const std::vector<product_card>& cards) {
  std::vector<std::string> out;
  out.reserve(cards.size());
  for (const auto& c : cards) out.push_back(c.id);
  return out;
}

session::session session_of(const char* fiscal_number, std::string party) {
  auto user = area_session(std::move(party));
  user.attributes["fiscalNumber"] = fiscal_number;
  user.attributes["name"] = "Anna";
  user.attributes["familyName"] = "Bianchi";
  return user;
}

conf::config writable_config() {
  auto config = area_config();
  config.directory.backend = conf::directory_backend::redis;
  return config;
}

const product_card& card(const std::vector<product_card>& cards, std::string_view id) {
  static const product_card none;
  for (const auto& c : cards)
    if (c.id == id) return c;
  return none;
}

TEST(area_states, no_membership_at_all_is_the_no_party_page) {
  const auto config = area_config();
  const auto view = build_area_view(session_of(other_cf, ""), *area_directory(), config);
  EXPECT_FALSE(view.has_party);
  EXPECT_TRUE(view.suspended_parties.empty());
  const std::string html = page_renderer::for_this_thread().overview(view);
  EXPECT_TRUE(has(html, "id=\"no-party\""));
  EXPECT_TRUE(has(html, "non è ancora associata a nessun ente"));
  EXPECT_FALSE(has(html, "sospesa"));
}

TEST(area_states, every_membership_suspended_names_the_party_and_who_reactivates_it) {
  const auto config = area_config();
  const auto dir = area_directory(
      {member(other_cf, comune, "prod-pagopa", party_role::operator_, membership_status::suspended),
       member(other_cf, comune, "prod-io", party_role::operator_, membership_status::suspended)});
  const auto view = build_area_view(session_of(other_cf, comune), *dir, config);
  EXPECT_FALSE(view.has_party);
  EXPECT_TRUE(view.parties.empty());
  EXPECT_TRUE(view.active.empty());
  EXPECT_TRUE(view.available.empty());  // nothing offered through a suspended party
  EXPECT_EQ(names(view.suspended_parties), std::vector<std::string>{"Comune di Valdoria"});

  const std::string it = page_renderer::for_this_thread(language::it, "/area").overview(view);
  EXPECT_TRUE(has(it, "<h1>Utenza sospesa</h1>"));
  EXPECT_TRUE(has(it,
                  "La tua utenza per <strong>Comune di Valdoria</strong> è sospesa. Per "
                  "riattivarla rivolgiti a un Amministratore dell'ente."))
      << it;
  EXPECT_FALSE(has(it, "non è ancora associata a nessun ente"));
  EXPECT_FALSE(has(it, "action=\"/area/party\""));
  const std::string en = page_renderer::for_this_thread(language::en, "/area").overview(view);
  EXPECT_TRUE(has(en, "<h1>Account suspended</h1>"));
  EXPECT_TRUE(has(en, "Your account for <strong>Comune di Valdoria</strong> is suspended."));
}

TEST(area_states, a_suspended_party_beside_an_active_one_is_named_above_the_panoramica) {
  const auto config = area_config();
  const auto dir = area_directory({member(other_cf, comune, "prod-pagopa", party_role::operator_),
                                   member(other_cf, partner, "prod-pagopa", party_role::manager,
                                          membership_status::suspended)});
  // The session still names the suspended party: the view falls back to the active one.
  const auto view = build_area_view(session_of(other_cf, partner), *dir, config);
  ASSERT_TRUE(view.has_party);
  EXPECT_EQ(view.current.id, comune);
  EXPECT_EQ(names(view.parties), std::vector<std::string>{"Comune di Valdoria"});
  EXPECT_EQ(names(view.suspended_parties), std::vector<std::string>{"Tecnopartner S.r.l."});
  const std::string html = page_renderer::for_this_thread().overview(view);
  EXPECT_TRUE(has(html, "<h1>Panoramica</h1>"));
  EXPECT_TRUE(has(html, "id=\"suspended\""));
  EXPECT_TRUE(has(html, "La tua utenza per <strong>Tecnopartner S.r.l.</strong> è sospesa."));
  EXPECT_FALSE(has(html, "name=\"party\" value=\"p-partner\""));
}

TEST(area_states, a_product_suspended_on_the_current_party_is_named_not_offered) {
  auto config = area_config();
  config.products[1].title_en = "IO app";
  const auto dir = area_directory(
      {member(admin_cf, comune, "prod-io", party_role::manager, membership_status::suspended)});
  const auto view = build_area_view(area_session(), *dir, config);
  EXPECT_EQ(ids(view.active), std::vector<std::string>{"prod-pagopa"});
  EXPECT_EQ(ids(view.available), std::vector<std::string>{"prod-pn"});
  EXPECT_EQ(ids(view.suspended_products), std::vector<std::string>{"prod-io"});
  EXPECT_TRUE(view.suspended_parties.empty());
  const std::string it = page_renderer::for_this_thread(language::it, "/area").overview(view);
  EXPECT_TRUE(has(it, "La tua utenza per <strong>App IO</strong> è sospesa."));
  EXPECT_FALSE(has(it, "href=\"/area/environment?product=prod-io\""));
  const std::string en = page_renderer::for_this_thread(language::en, "/area").overview(view);
  EXPECT_TRUE(has(en, "Your account for <strong>IO app</strong> is suspended."));
}

TEST(area_states, nothing_suspended_shows_no_notice) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  EXPECT_TRUE(view.suspended_parties.empty());
  EXPECT_TRUE(view.suspended_products.empty());
  EXPECT_FALSE(has(page_renderer::for_this_thread().overview(view), "id=\"suspended\""));
}

TEST(area_states, an_administrator_may_join_and_an_operator_is_told_who_may) {
  const auto config = writable_config();
  const auto dir = area_directory();
  const auto admin = build_area_view(area_session(comune), *dir, config);
  const auto& pn_for_admin = card(admin.available, "prod-pn");
  EXPECT_TRUE(pn_for_admin.can_join);
  EXPECT_FALSE(pn_for_admin.join_admin_only);
  EXPECT_FALSE(pn_for_admin.join_through_support);
  const std::string admin_html = page_renderer::for_this_thread().overview(admin);
  EXPECT_TRUE(has(admin_html, "action=\"/area/join\""));
  EXPECT_FALSE(has(admin_html, "Solo un Amministratore"));

  // The same user is an operator of the partner.
  const auto operator_ = build_area_view(area_session(partner), *dir, config);
  const auto& pn_for_operator = card(operator_.available, "prod-pn");
  EXPECT_FALSE(pn_for_operator.can_join);
  EXPECT_TRUE(pn_for_operator.join_admin_only);
  const std::string it = page_renderer::for_this_thread(language::it, "/area").overview(operator_);
  EXPECT_FALSE(has(it, "action=\"/area/join\""));
  EXPECT_TRUE(has(it, "Solo un Amministratore dell'ente può richiedere l'adesione."));
  const std::string en = page_renderer::for_this_thread(language::en, "/area").overview(operator_);
  EXPECT_TRUE(has(en, "Only an Administrator of the organisation can ask to join."));
}

TEST(area_states, an_administrator_over_the_read_only_directory_is_sent_to_assistenza) {
  const auto config = area_config();  // directory.backend: file
  const auto view = build_area_view(area_session(), *area_directory(), config);
  const auto& pn = card(view.available, "prod-pn");
  EXPECT_FALSE(pn.can_join);
  EXPECT_FALSE(pn.join_admin_only);
  EXPECT_TRUE(pn.join_through_support);
  const std::string html = page_renderer::for_this_thread().overview(view);
  EXPECT_TRUE(has(html,
                  "Per aderire a questo prodotto rivolgiti all'<a "
                  "href=\"/area/support\">Assistenza</a>."))
      << html;
}

TEST(area_states, a_sent_request_says_so_whoever_looks) {
  const auto config = writable_config();
  directory::directory_data data;
  data.parties = area_directory()->parties();
  data.memberships = area_directory()->memberships();
  data.memberships.push_back(member(other_cf, comune, "prod-pagopa", party_role::operator_));
  data.join_requests = {{comune, "prod-pn", admin_cf, "2026-01-01T00:00:00Z"}};
  const directory::snapshot dir(std::move(data), 1);
  for (const auto& view : {build_area_view(area_session(comune), dir, config),
                           build_area_view(session_of(other_cf, comune), dir, config)}) {
    const auto& pn = card(view.available, "prod-pn");
    EXPECT_TRUE(pn.join_requested);
    EXPECT_FALSE(pn.can_join);
    EXPECT_FALSE(pn.join_admin_only);
    EXPECT_FALSE(pn.join_through_support);
  }
}

}  // namespace
}  // namespace varco::gateway
