// The legal pages' Markdown-lite: the constructs it knows, escaping of everything else, the link
// targets it refuses, and the page around the text.
#include "gateway/pages/legal_text.hpp"

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

}  // namespace
}  // namespace varco::gateway
