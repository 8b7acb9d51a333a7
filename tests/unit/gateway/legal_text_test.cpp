// The legal pages' Markdown-lite: the constructs it knows, escaping of everything else, the link
// targets it refuses, and the page around the text.
#include "gateway/portal/legal_text.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

TEST(legal_text, headings_paragraphs_and_lists) {
  const auto html = markdown_lite_to_html(
      "# Titolare\r\nComune di Valdoria,\nPiazza del Municipio 1.\n\n## Dati\n- nome;\n* codice "
      "fiscale.\n\n1. primo\n2. secondo\n### Nota\nFine.");
  EXPECT_EQ(html,
            "<h2>Titolare</h2>\n<p>Comune di Valdoria,\nPiazza del Municipio 1.</p>\n"
            "<h3>Dati</h3>\n<ul>\n<li>nome;</li>\n<li>codice fiscale.</li>\n</ul>\n"
            "<ol>\n<li>primo</li>\n<li>secondo</li>\n</ol>\n<h4>Nota</h4>\n<p>Fine.</p>\n");
}

TEST(legal_text, bold_and_safe_links) {
  EXPECT_EQ(markdown_lite_to_html("Accesso con **SPID** o [CIE](https://www.cartaidentita.it)."),
            "<p>Accesso con <strong>SPID</strong> o <a "
            "href=\"https://www.cartaidentita.it\">CIE</a>.</p>\n");
  EXPECT_EQ(
      markdown_lite_to_html("[RPD](mailto:rpd@ente.it) e [aiuto](/area/support)"),
      "<p><a href=\"mailto:rpd@ente.it\">RPD</a> e <a href=\"/area/support\">aiuto</a></p>\n");
}

TEST(legal_text, everything_else_is_escaped_text) {
  const auto html = markdown_lite_to_html(
      "<script>alert(1)</script> <p style=\"color:red\">x</p>\n"
      "[clic](javascript:alert(1)) [dati](data:text/html,x) [altro](//evil.example)\n"
      "**non chiuso e [senza fine](https://x\n# <b>titolo</b>");
  EXPECT_FALSE(has(html, "<script"));
  EXPECT_FALSE(has(html, "<p style"));
  EXPECT_FALSE(has(html, "<b>"));
  EXPECT_FALSE(has(html, "href=\"javascript"));
  EXPECT_FALSE(has(html, "href=\"data:"));
  EXPECT_FALSE(has(html, "href=\"//"));
  EXPECT_TRUE(has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(has(html, "[clic](javascript:alert(1))"));
  EXPECT_TRUE(has(html, "**non chiuso"));
  EXPECT_TRUE(has(html, "<h2>&lt;b&gt;titolo&lt;/b&gt;</h2>"));
  // A quote in a URL cannot leave the attribute.
  EXPECT_TRUE(has(markdown_lite_to_html("[x](https://a.it/\"onmouseover=\"y)"),
                  "href=\"https://a.it/&quot;onmouseover=&quot;y\""));
}

TEST(legal_text, the_page_has_the_login_look_a_title_and_no_inline_script_or_style) {
  legal_page page;
  page.title = "Termini e condizioni d'uso";
  page.body_html = "<p>Testo.</p>\n";
  page.other_language_url = "/terms?lang=en";
  page.other_language = "en";
  page.other_language_label = "English version";
  const auto html = render_legal_page(page);
  EXPECT_TRUE(has(html, "<html lang=\"it\">"));
  EXPECT_TRUE(has(html, "<title>Termini e condizioni d&#39;uso</title>"));
  EXPECT_TRUE(has(html, "<h1>Termini e condizioni d&#39;uso</h1>"));
  EXPECT_TRUE(has(html, "href=\"/static/varco/login.css\""));
  EXPECT_TRUE(has(html, "<main id=\"main\""));
  EXPECT_TRUE(has(html, "<p>Testo.</p>"));
  EXPECT_TRUE(
      has(html, "<a href=\"/terms?lang=en\" lang=\"en\" hreflang=\"en\">English version</a>"));
  EXPECT_TRUE(has(html, "href=\"/login\">Torna all&#39;accesso") ||
              has(html, "href=\"/login\">Torna all'accesso"));
  EXPECT_FALSE(has(html, "<script"));
  EXPECT_FALSE(has(html, "<style"));
  EXPECT_FALSE(has(html, "style=\""));

  page.lang = "en";
  page.other_language_url.clear();
  const auto english = render_legal_page(page);
  EXPECT_TRUE(has(english, "<html lang=\"en\">"));
  EXPECT_TRUE(has(english, "Back to login"));
  EXPECT_FALSE(has(english, "hreflang"));
}

}  // namespace
}  // namespace varco::gateway
