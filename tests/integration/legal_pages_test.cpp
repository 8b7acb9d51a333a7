// /terms and /privacy served by the real varco from the files named in the config: public (no
// session), the operator's Markdown-lite as escaped HTML, the English files on ?lang=en, the
// security headers, and 404 for a page whose file is not configured. The login page links both.
#include "tests/integration/integration_stack.hpp"
#include "tests/support/test_files.hpp"

#include <boost/beast/http.hpp>

namespace varco::integration {
namespace {

namespace http = boost::beast::http;

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

class legal_pages : public ::testing::Test {
 protected:
  legal_pages() {
    write_file(files / "termini.md",
               "# Oggetto\nQuesti termini regolano l'uso dell'**Area Riservata**.\n\n"
               "- accesso con SPID o CIE\n<script>alert(1)</script>\n");
    write_file(files / "terms.en.md", "# Purpose\nThese terms govern the **Area Riservata**.\n");
    write_file(files / "privacy.md", "# Titolare\nScrivi al [RPD](mailto:rpd@ente.example).\n");
  }
  std::string portal_section(bool with_privacy) const {
    std::string yaml = "portal:\n  static_root: " + std::string(VARCO_WEB_MODULES) +
                       "\n  assets_dir: " + VARCO_PORTAL_ASSETS +
                       "\n  terms_file: " + (files / "termini.md").string() +
                       "\n  terms_file_en: " + (files / "terms.en.md").string() + "\n";
    if (with_privacy) yaml += "  privacy_file: " + (files / "privacy.md").string() + "\n";
    return yaml;
  }

  temp_dir files;
};

void expect_security_headers(const http_response& r, const std::string& what) {
  const std::string csp = r.header("Content-Security-Policy");
  EXPECT_TRUE(has(csp, "default-src 'self'")) << what;
  EXPECT_TRUE(has(csp, "script-src 'self'")) << what;
  EXPECT_TRUE(has(csp, "style-src 'self'")) << what;
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY") << what;
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer") << what;
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << what;
}

TEST_F(legal_pages, terms_and_privacy_are_public_pages_from_the_configured_files) {
  settings config;
  config.portal = portal_section(true);
  stack s(config);

  auto terms = http_get(s.port(), "/terms", as_browser());
  ASSERT_EQ(terms.status, 200u) << terms.body << s.varco->output();
  EXPECT_EQ(terms.header("Content-Type"), "text/html; charset=utf-8");
  expect_security_headers(terms, "/terms");
  EXPECT_TRUE(has(terms.body, "<html lang=\"it\">"));
  EXPECT_TRUE(has(terms.body, "<h1 class=\"h2\">Termini e condizioni d&#39;uso</h1>") ||
              has(terms.body, "<h1 class=\"h2\">Termini e condizioni d&apos;uso</h1>"))
      << terms.body;
  EXPECT_TRUE(has(terms.body, "<h2>Oggetto</h2>"));
  EXPECT_TRUE(has(terms.body, "<strong>Area Riservata</strong>"));
  EXPECT_TRUE(has(terms.body, "<li>accesso con SPID o CIE</li>"));
  EXPECT_TRUE(has(terms.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(has(terms.body, "<script>"));  // only the pages' own script file
  EXPECT_FALSE(has(terms.body, "style=\""));
  EXPECT_TRUE(has(terms.body, "href=\"/terms?lang=en\""));
  // The Area Riservata's frame: Bootstrap Italia, the public header and footer.
  EXPECT_TRUE(has(terms.body, "href=\"/static/bootstrap-italia/css/bootstrap-italia.min.css\""));
  EXPECT_TRUE(has(terms.body, "href=\"/login\""));
  EXPECT_FALSE(has(terms.body, "id=\"user-menu\""));

  auto english = http_get(s.port(), "/terms?lang=en", as_browser());
  ASSERT_EQ(english.status, 200u);
  EXPECT_TRUE(has(english.body, "<html lang=\"en\">"));
  EXPECT_TRUE(has(english.body, "<h1 class=\"h2\">Terms and conditions of use</h1>"));
  EXPECT_TRUE(has(english.body, "<h2>Purpose</h2>"));
  EXPECT_TRUE(has(english.body, "href=\"/terms?lang=it\""));

  auto privacy = http_get(s.port(), "/privacy?utm_source=mail", as_browser());
  ASSERT_EQ(privacy.status, 200u);
  expect_security_headers(privacy, "/privacy");
  EXPECT_TRUE(has(privacy.body, "<h1 class=\"h2\">Informativa Privacy</h1>"));
  EXPECT_TRUE(has(privacy.body, "<a href=\"mailto:rpd@ente.example\">RPD</a>"));
  // No English privacy file: ?lang=en is the English page around the Italian text, saying so.
  auto privacy_en = http_get(s.port(), "/privacy?lang=en", as_browser());
  EXPECT_TRUE(has(privacy_en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(has(privacy_en.body, "<h1 class=\"h2\">Privacy notice</h1>"));
  EXPECT_TRUE(has(privacy_en.body, "available in Italian only"));
  EXPECT_TRUE(has(privacy_en.body, "<a href=\"mailto:rpd@ente.example\">RPD</a>"));

  auto head = http_request(s.port(), http::verb::head, "/terms");
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("Content-Length"), std::to_string(terms.body.size()));
  auto post = http_request(s.port(), http::verb::post, "/privacy");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");

  // The login page's links lead to them.
  auto login = http_get(s.port(), "/login", as_browser());
  ASSERT_EQ(login.status, 200u);
  EXPECT_TRUE(has(login.body, "href=\"/terms\""));
  EXPECT_TRUE(has(login.body, "href=\"/privacy\""));
}

TEST_F(legal_pages, a_page_without_its_file_is_404_with_a_reason) {
  settings config;
  config.portal = portal_section(false);
  stack s(config);
  EXPECT_EQ(http_get(s.port(), "/terms", as_browser()).status, 200u);
  auto privacy = http_get(s.port(), "/privacy", as_browser());
  EXPECT_EQ(privacy.status, 404u);
  EXPECT_TRUE(has(privacy.body, "legal_text_not_configured"));
  auto api = http_get(s.port(), "/privacy", {{"Accept", "application/json"}});
  EXPECT_EQ(json_field(api.body, "error"), "legal_text_not_configured");
}

}  // namespace
}  // namespace varco::integration
