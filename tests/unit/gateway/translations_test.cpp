// The English version of the Area Riservata: every text the templates mark {{#tr}} has an entry,
// the catalog is well formed, and pages render in English with their <html lang>.
#include "gateway/portal/translations.hpp"

#include "gateway/portal/page_renderer.hpp"
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
  EXPECT_TRUE(has(en, "Company name"));
  for (std::string_view italian :
       {"Panoramica", "Prodotti attivi", "Esci<", "Ragione sociale", "Gestisci", "Amministratore"})
    EXPECT_FALSE(has(en, italian)) << italian;
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

}  // namespace
}  // namespace varco::gateway
