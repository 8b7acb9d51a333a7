#include "gateway/pages/area_model.hpp"

#include "gateway/pages/party_labels.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace varco::gateway {
namespace {

using namespace area_testing;
using directory::membership_status;
using directory::party_role;

std::vector<std::string> ids(const std::vector<product_card>& cards) {
  std::vector<std::string> out;
  for (const auto& c : cards) out.push_back(c.id);
  return out;
}

std::string value_of(const area_view& view, const std::string& label) {
  for (const auto& entry : view.registry)
    if (entry.label == label) return entry.value;
  return "<absent>";
}

TEST(area_model, overview_shows_the_selected_party_registry_data) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  EXPECT_EQ(view.user_name, "Mario Rossi");
  EXPECT_EQ(view.fiscal_number, admin_cf);
  EXPECT_EQ(view.csrf_token, "csrf-token-0123456789");
  ASSERT_TRUE(view.has_party);
  EXPECT_EQ(view.current.id, comune);
  // A municipality has a "Denominazione", not a company's "Ragione sociale".
  EXPECT_EQ(value_of(view, "Denominazione"), "Comune di Valdoria");
  EXPECT_EQ(value_of(view, "Ragione sociale"), "<absent>");
  EXPECT_EQ(value_of(view, "Tipologia"), "Pubblica Amministrazione");
  EXPECT_EQ(value_of(view, "Codice fiscale"), "80012340123");
  EXPECT_EQ(value_of(view, "Codice IPA"), "c_v001");
  EXPECT_EQ(value_of(view, "Sede legale"), "Piazza del Municipio 1");
  EXPECT_EQ(value_of(view, "PEC"), "protocollo@pec.comune.valdoria.it");
}

TEST(area_model, the_user_menu_names_how_the_user_logged_in) {
  auto config = area_config();
  auto user = area_session();
  user.provider = "cie";
  EXPECT_EQ(build_area_view(user, *area_directory(), config).provider_label, "CIE");
  // A standard OpenID Provider by the name the login page gives it.
  conf::oidc_provider broker;
  broker.id = "broker";
  broker.name = "Broker di prova";
  config.oidc.providers.push_back(broker);
  user.provider = "oidc";
  user.oidc = {{"provider", "broker"}};
  EXPECT_EQ(build_area_view(user, *area_directory(), config).provider_label, "Broker di prova");
  user.oidc = {{"provider", "removed-by-a-reload"}};
  EXPECT_EQ(build_area_view(user, *area_directory(), config).provider_label, "removed-by-a-reload");
}

TEST(area_model, active_products_are_the_users_and_available_ones_those_the_party_lacks) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  EXPECT_EQ(ids(view.active), std::vector<std::string>{"prod-pagopa"});
  EXPECT_EQ(ids(view.available), (std::vector<std::string>{"prod-io", "prod-pn"}));
  EXPECT_EQ(view.active.front().manage_url, "/area/environment?product=prod-pagopa");
  EXPECT_EQ(view.active.front().logo, "/static/varco/pagopa.svg");
}

TEST(area_model, product_joined_by_another_user_of_the_party_is_neither_active_nor_available) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(partner), *area_directory(), config);
  EXPECT_EQ(view.current.id, partner);
  EXPECT_EQ(ids(view.active), std::vector<std::string>{"prod-pagopa"});
  EXPECT_EQ(ids(view.available), std::vector<std::string>{"prod-pn"});
}

TEST(area_model, suspended_membership_is_not_an_active_product) {
  const auto config = area_config();
  const auto dir = area_directory(
      {member(admin_cf, comune, "prod-io", party_role::manager, membership_status::suspended)});
  const auto view = build_area_view(area_session(), *dir, config);
  EXPECT_EQ(ids(view.active), std::vector<std::string>{"prod-pagopa"});
  EXPECT_EQ(ids(view.available), std::vector<std::string>{"prod-pn"});
}

TEST(area_model, switcher_lists_every_party_with_the_users_role_there) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(partner), *area_directory(), config);
  ASSERT_EQ(view.parties.size(), 2u);
  // Ordered by name.
  EXPECT_EQ(view.parties[0].name, "Comune di Valdoria");
  EXPECT_EQ(view.parties[0].role_label, "Amministratore");
  EXPECT_FALSE(view.parties[0].selected);
  EXPECT_EQ(view.parties[1].name, "Tecnopartner S.r.l.");
  EXPECT_EQ(view.parties[1].role_label, "Operatore");
  EXPECT_TRUE(view.parties[1].selected);
  EXPECT_EQ(view.current.role_label, "Operatore");
}

TEST(area_model, a_party_the_user_left_falls_back_to_the_first_one) {
  const auto config = area_config();
  const auto view = build_area_view(area_session("p-gone"), *area_directory(), config);
  ASSERT_TRUE(view.has_party);
  EXPECT_EQ(view.current.id, comune);
}

TEST(area_model, user_without_parties_gets_the_no_party_view) {
  const auto config = area_config();
  auto user = area_session("");
  user.attributes["fiscalNumber"] = "NREGLI90D45L219R";
  const auto view = build_area_view(user, *area_directory(), config);
  EXPECT_FALSE(view.has_party);
  EXPECT_TRUE(view.parties.empty());
  EXPECT_TRUE(view.active.empty());
  EXPECT_TRUE(view.available.empty());
  EXPECT_EQ(view.user_name, "Mario Rossi");
}

TEST(area_model, environments_offered_follow_the_party_role) {
  const auto config = area_config();
  const auto dir = area_directory();
  auto admin = environment_choices(area_session(), *dir, config, "prod-pagopa");
  ASSERT_TRUE(admin) << admin.error().message();
  ASSERT_EQ(admin->options.size(), 2u);
  EXPECT_EQ(admin->options[0].id, "collaudo");
  EXPECT_EQ(admin->options[0].label, "Ambiente di Collaudo");
  // No choice in the session yet: the first is preselected.
  EXPECT_TRUE(admin->options[0].chosen);
  EXPECT_EQ(admin->options[1].id, "produzione");
  EXPECT_FALSE(admin->options[1].chosen);
  EXPECT_EQ(admin->product_title, "Piattaforma pagoPA");

  // Operatore of the partner: produzione is for MANAGER only.
  auto operator_ = environment_choices(area_session(partner), *dir, config, "prod-pagopa");
  ASSERT_TRUE(operator_);
  ASSERT_EQ(operator_->options.size(), 1u);
  EXPECT_EQ(operator_->options[0].id, "collaudo");
}

TEST(area_model,
     the_sessions_environment_is_preselected_and_every_active_card_carries_its_options) {
  const auto config = area_config();
  const auto dir = area_directory();
  auto user = area_session();
  user.environments["prod-pagopa"] = "produzione";
  auto choices = environment_choices(user, *dir, config, "prod-pagopa");
  ASSERT_TRUE(choices);
  ASSERT_EQ(choices->options.size(), 2u);
  EXPECT_FALSE(choices->options[0].chosen);
  EXPECT_TRUE(choices->options[1].chosen);
  // The same options on Panoramica's card, for Gestisci's dialog; available cards have none.
  const auto view = build_area_view(user, *dir, config);
  const auto card = std::find_if(view.active.begin(), view.active.end(),
                                 [](const auto& c) { return c.id == "prod-pagopa"; });
  ASSERT_NE(card, view.active.end());
  ASSERT_EQ(card->environments.size(), 2u);
  EXPECT_EQ(card->environments[1].id, "produzione");
  EXPECT_TRUE(card->environments[1].chosen);
  for (const auto& available : view.available) EXPECT_TRUE(available.environments.empty());
}

TEST(area_model, redirect_environments_are_offered_and_chosen_like_proxied_ones) {
  const auto config = area_config();
  const auto dir = area_directory({member(admin_cf, comune, "prod-io", party_role::manager)});
  auto io = environment_choices(area_session(), *dir, config, "prod-io");
  ASSERT_TRUE(io);
  ASSERT_EQ(io->options.size(), 2u);
  EXPECT_FALSE(io->options[0].redirect);
  EXPECT_TRUE(io->options[1].redirect);
  auto chosen = check_environment_choice(area_session(), *dir, config, "prod-io", "esterno");
  ASSERT_TRUE(chosen);
  EXPECT_EQ((*chosen)->id, "esterno");
}

TEST(area_model, redirect_environments_follow_the_environment_roles) {
  auto config = area_config();
  config.products[1].environments[1].party_roles = {"MANAGER"};
  const auto dir = area_directory({member(admin_cf, partner, "prod-io", party_role::operator_)});
  auto io = environment_choices(area_session(partner), *dir, config, "prod-io");
  ASSERT_TRUE(io);
  ASSERT_EQ(io->options.size(), 1u);
  EXPECT_EQ(io->options[0].id, "collaudo");
  auto chosen = check_environment_choice(area_session(partner), *dir, config, "prod-io", "esterno");
  ASSERT_FALSE(chosen);
  EXPECT_EQ(chosen.error(), make_error_code(area_errc::environment_not_allowed));
}

TEST(area_model, environment_page_is_refused_for_products_the_user_cannot_use) {
  const auto config = area_config();
  const auto dir = area_directory();
  auto unknown = environment_choices(area_session(), *dir, config, "prod-nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), make_error_code(area_errc::unknown_product));
  EXPECT_EQ(status_of(area_errc::unknown_product), 404u);
  auto not_joined = environment_choices(area_session(), *dir, config, "prod-io");
  ASSERT_FALSE(not_joined);
  EXPECT_EQ(not_joined.error(), make_error_code(area_errc::not_a_member));
  auto no_party = environment_choices(area_session(""), *dir, config, "prod-pagopa");
  ASSERT_FALSE(no_party);
  EXPECT_EQ(no_party.error(), make_error_code(area_errc::no_party_selected));
}

TEST(area_model, environment_choice_is_checked_like_the_proxy_checks_it) {
  const auto config = area_config();
  const auto dir = area_directory();
  auto ok = check_environment_choice(area_session(), *dir, config, "prod-pagopa", "produzione");
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)->id, "produzione");
  auto operator_ =
      check_environment_choice(area_session(partner), *dir, config, "prod-pagopa", "produzione");
  ASSERT_FALSE(operator_);
  EXPECT_EQ(operator_.error(), make_error_code(area_errc::environment_not_allowed));
  EXPECT_EQ(status_of(area_errc::environment_not_allowed), 403u);
  auto unknown = check_environment_choice(area_session(), *dir, config, "prod-pagopa", "staging");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), make_error_code(area_errc::unknown_environment));
}

TEST(area_model, party_switch_only_to_a_party_of_the_user) {
  const auto dir = area_directory({member(admin_cf, "p-suspended", "prod-pagopa",
                                          party_role::manager, membership_status::suspended)});
  EXPECT_TRUE(check_party_switch(area_session(), *dir, partner));
  auto stranger = check_party_switch(area_session(), *dir, "p-elsewhere");
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error(), make_error_code(area_errc::not_a_party_member));
  EXPECT_EQ(status_of(area_errc::not_a_party_member), 403u);
  EXPECT_FALSE(check_party_switch(area_session(), *dir, "p-suspended"));
  EXPECT_FALSE(check_party_switch(area_session(), *dir, ""));
}

TEST(area_model, csrf_token_must_match_exactly) {
  EXPECT_TRUE(csrf_matches("abc123", "abc123"));
  EXPECT_FALSE(csrf_matches("abc124", "abc123"));
  EXPECT_FALSE(csrf_matches("abc12", "abc123"));
  EXPECT_FALSE(csrf_matches("", ""));
  EXPECT_FALSE(csrf_matches("", "abc123"));
  EXPECT_EQ(reason_code(area_errc::csrf_invalid), "csrf_invalid");
  EXPECT_EQ(status_of(area_errc::csrf_invalid), 403u);
}

TEST(area_model, login_redirect_keeps_the_target_and_says_when_the_session_expired) {
  EXPECT_EQ(login_redirect("/area/environment?product=x", true),
            "/login?return=%2Farea%2Fenvironment%3Fproduct%3Dx&expired=1");
  EXPECT_EQ(login_redirect("/area", false), "/login?return=%2Farea");
}

TEST(area_model, gestisci_lands_on_the_product_prefix_or_host) {
  auto p = product("prod-x", "X");
  EXPECT_EQ(product_entry_url(p, false), "/prod-x/");
  p.path_prefix.clear();
  p.host = "x.example.it";
  EXPECT_EQ(product_entry_url(p, true), "https://x.example.it/");
}

TEST(area_model, a_companys_name_is_its_ragione_sociale) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(partner), *area_directory(), config);
  EXPECT_EQ(value_of(view, "Ragione sociale"), "Tecnopartner S.r.l.");
  EXPECT_EQ(value_of(view, "Denominazione"), "<absent>");
  EXPECT_EQ(value_of(view, "Tipologia"), "Partner tecnologico");
}

TEST(area_model, only_the_party_type_among_the_values_is_varcos_own_text) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  for (const auto& entry : view.registry) {
    EXPECT_EQ(entry.value_is_label, entry.label == "Tipologia") << entry.label;
  }
}

TEST(party_labels, labels_follow_the_party_type) {
  EXPECT_EQ(party_name_label("PA"), "Denominazione");
  EXPECT_EQ(party_name_label("GSP"), "Denominazione");
  EXPECT_EQ(party_name_label("XYZ"), "Denominazione");
  for (std::string_view company : {"PT", "PSP", "AS", "SCP", "PG"}) {
    EXPECT_EQ(party_name_label(company), "Ragione sociale") << company;
  }
  EXPECT_EQ(registry_label("recipient_code", "PA"), "Codice univoco ufficio");
  EXPECT_EQ(registry_label("recipient_code", "PSP"), "Codice destinatario");
  EXPECT_EQ(registry_label("address", "PA"), "Sede legale");
  EXPECT_EQ(party_type_label("CON"), "Consolidatore");
  EXPECT_EQ(party_type_label("REC"), "Recapitista");
}

TEST(party_labels, unknown_codes_are_shown_as_they_are) {
  EXPECT_EQ(party_type_label("PSP"), "Prestatore di servizi di pagamento");
  EXPECT_EQ(party_type_label("XYZ"), "XYZ");
  EXPECT_EQ(registry_label("zip", "PA"), "CAP");
  EXPECT_EQ(registry_label("sdi", "PA"), "sdi");
}

}  // namespace
}  // namespace varco::gateway
