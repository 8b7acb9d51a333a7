// The English version of the Area Riservata: every text the templates mark {{#tr}} has an entry,
// the catalog is well formed, and pages render in English with their <html lang>.
#include "gateway/pages/translations.hpp"

#include "gateway/pages/page_renderer.hpp"
#include "gateway/pages/party_labels.hpp"
#include "gateway/pages/users_model.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace varco::gateway {
namespace {

using namespace area_testing;

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

TEST(translations, every_marked_template_text_has_an_english_version) {
  const std::regex marked(R"(\{\{#tr\}\}([\s\S]*?)\{\{/tr\}\})");
  std::size_t seen = 0;
  for (const auto& source : embedded_page_templates()) {
    const std::string text(source.text);
    for (std::sregex_iterator it(text.begin(), text.end(), marked), end; it != end; ++it) {
      ++seen;
      EXPECT_TRUE(english_for((*it)[1].str()).has_value())
          << source.name << ": no English for «" << collapse_whitespace((*it)[1].str()) << "»";
    }
  }
  EXPECT_GT(seen, 80u);
}

TEST(translations, the_catalog_is_well_formed) {
  std::set<std::string_view> keys;
  for (const auto& [italian, english] : translation_catalog()) {
    EXPECT_TRUE(keys.insert(italian).second) << "duplicate key «" << italian << "»";
    EXPECT_EQ(collapse_whitespace(italian), italian) << "keys are stored collapsed";
    EXPECT_FALSE(english.empty()) << italian;
  }
}

TEST(translations, lookups_ignore_line_breaks_and_fall_back_to_italian) {
  EXPECT_EQ(translated("Panoramica", language::en), "Overview");
  EXPECT_EQ(translated("Panoramica", language::it), "Panoramica");
  EXPECT_EQ(translated("Torna alla\n   Panoramica", language::en), "Back to the Overview");
  EXPECT_EQ(translated("Comune di Valdoria", language::en), "Comune di Valdoria");
  EXPECT_EQ(parse_language("en"), language::en);
  EXPECT_FALSE(parse_language("EN").has_value());
  EXPECT_FALSE(parse_language("de").has_value());
}

TEST(translations, overview_renders_in_english_with_its_language_switch) {
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  const std::string en = page_renderer::for_this_thread(language::en, "/area").overview(view);
  EXPECT_TRUE(has(en, "<html lang=\"en\">"));
  EXPECT_TRUE(has(en, "<h1>Overview</h1>"));
  EXPECT_TRUE(has(en, "Active products"));
  EXPECT_TRUE(has(en, "Administrator"));
  EXPECT_TRUE(has(en, "Log out"));
  // A municipality's name is not a "company name".
  EXPECT_TRUE(has(en, "<dt class=\"col-sm-4\">Name</dt>"));
  EXPECT_FALSE(has(en, "Company name"));
  EXPECT_TRUE(has(en, "Registered office"));
  EXPECT_TRUE(has(en, "<dd class=\"col-sm-8\">Public administration</dd>"));
  for (std::string_view italian : {"Panoramica", "Prodotti attivi", "Esci<", "Denominazione",
                                   "Sede legale", "Gestisci", "Amministratore"}) {
    EXPECT_FALSE(has(en, italian)) << italian;
  }
  EXPECT_TRUE(has(en, "href=\"/area?lang=it\" lang=\"it\" hreflang=\"it\">"));
  EXPECT_TRUE(has(en, ">Italiano</span></a>"));

  const std::string it = page_renderer::for_this_thread(language::it, "/area").overview(view);
  EXPECT_TRUE(has(it, "<html lang=\"it\">"));
  EXPECT_TRUE(has(it, "<h1>Panoramica</h1>"));
  EXPECT_TRUE(has(it, "href=\"/area?lang=en\" lang=\"en\" hreflang=\"en\">"));
  EXPECT_TRUE(has(it, ">English</span></a>"));
}

TEST(translations, placeholders_inside_translated_text_are_still_escaped) {
  auto session = area_session();
  session.attributes["name"] = "<b>Eve</b>";
  session.selected_party = "";
  const auto config = area_config();
  const directory::snapshot no_parties;  // the "no organisation yet" page
  const auto view = build_area_view(session, no_parties, config);
  const std::string en = page_renderer::for_this_thread(language::en, "/area").overview(view);
  EXPECT_TRUE(has(en, "You are signed in as <strong>&lt;b&gt;Eve&lt;/b&gt; Rossi</strong>")) << en;
  EXPECT_FALSE(has(en, "<b>Eve</b>"));
}

TEST(translations, every_party_label_has_an_english_version) {
  const std::string_view types[] = {"PA", "PG",  "GSP", "SA",  "PT",  "SCP", "PSP",
                                    "AS", "REC", "CON", "PRV", "GPU", "SCEC"};
  const std::string_view keys[] = {"address", "zip",   "city",  "province",   "country",
                                   "pec",     "email", "phone", "vat_number", "recipient_code"};
  for (std::string_view type : types) {
    EXPECT_TRUE(english_for(party_type_label(type)).has_value()) << type;
    EXPECT_TRUE(english_for(party_name_label(type)).has_value()) << type;
    for (std::string_view key : keys) {
      EXPECT_TRUE(english_for(registry_label(key, type)).has_value()) << type << " " << key;
    }
  }
}

TEST(translations, registry_values_are_data_and_stay_as_written) {
  const auto config = area_config();
  // A name that happens to be an Italian text of the catalog ("Utenti" → "Users").
  const auto view = build_area_view(area_session(), *area_directory({}, "Utenti"), config);
  const std::string en = page_renderer::for_this_thread(language::en, "/area").overview(view);
  EXPECT_TRUE(has(en, "<dd class=\"col-sm-8\">Utenti</dd>")) << en;
}

// Product titles and environment labels in English wherever a page names them, the Italian ones
// where the configuration has no English.
conf::config english_config() {
  auto config = area_config();
  config.directory.backend = conf::directory_backend::redis;
  config.products[0].title_en = "pagoPA platform";
  config.products[0].environments[0].label_en = "Test environment";
  return config;
}

TEST(translations, environment_choice_in_english) {
  const auto config = english_config();
  const auto dir = area_directory();
  const auto view = build_area_view(area_session(), *dir, config);
  auto pagopa = environment_choices(area_session(), *dir, config, "prod-pagopa");
  ASSERT_TRUE(pagopa);
  const std::string en =
      page_renderer::for_this_thread(language::en, "/area").environment_choice(view, *pagopa);
  EXPECT_TRUE(has(en, "<span>pagoPA platform</span>"));
  EXPECT_TRUE(has(en, ">Test environment</label>"));
  EXPECT_TRUE(has(en, ">Ambiente di Produzione</label>"));  // no label_en: as configured
  const std::string it =
      page_renderer::for_this_thread(language::it, "/area").environment_choice(view, *pagopa);
  EXPECT_TRUE(has(it, ">Ambiente di Collaudo</label>"));
  EXPECT_TRUE(has(it, "<span>Piattaforma pagoPA</span>"));
}

TEST(translations, users_page_names_products_in_english) {
  const auto config = english_config();
  const auto dir = area_directory();
  const auto view = build_area_view(area_session(), *dir, config);
  const auto users = build_users_view(area_session(), *dir, config);
  const std::string en =
      page_renderer::for_this_thread(language::en, "/area/users").users(view, users, {});
  EXPECT_TRUE(has(en, "<td data-label=\"Product\">pagoPA platform</td>")) << en;
  EXPECT_TRUE(has(en, "<option value=\"prod-pagopa\">pagoPA platform</option>"));
  EXPECT_TRUE(has(en, "<td data-label=\"Role\">Administrator</td>"));
  EXPECT_FALSE(has(en, "Piattaforma pagoPA"));
  EXPECT_FALSE(has(en, "Amministratore"));
}

TEST(translations, support_and_delegations_name_products_in_english) {
  const auto config = english_config();
  const auto view = build_area_view(area_session(partner), *area_directory(), config);
  support_page_view support;
  support.support_email = "assistenza@ente.it";
  support.products = view.active;
  const std::string form =
      page_renderer::for_this_thread(language::en, "/area/support").support(view, support);
  EXPECT_TRUE(has(form, ">pagoPA platform</option>"));
  EXPECT_FALSE(has(form, "Piattaforma pagoPA"));

  delegations_view delegations;
  delegations.applies = true;
  delegations.partner_name = "Tecnopartner S.r.l.";
  delegations.total = 1;
  delegations.slice = {1, 1, 0, 1};
  delegations.rows = {{"p-comune", "Comune di Valdoria", "80012340123", "prod-pagopa",
                       "Piattaforma pagoPA", "14/03/2025", "pagoPA platform"}};
  const std::string table = page_renderer::for_this_thread(language::en, "/area/delegations")
                                .delegations(view, delegations);
  EXPECT_TRUE(has(table, "<td>pagoPA platform</td>")) << table;

  // On a party that is not a partner, its type is named in English too.
  const auto comune_view = build_area_view(area_session(comune), *area_directory(), config);
  delegations_view not_partner;
  not_partner.partner_name = "Comune di Valdoria";
  not_partner.partner_type = "Pubblica Amministrazione";
  const std::string other = page_renderer::for_this_thread(language::en, "/area/delegations")
                                .delegations(comune_view, not_partner);
  EXPECT_TRUE(has(other, "(Public administration)")) << other;
}

}  // namespace
}  // namespace varco::gateway
