// The login flow's own pages: escaping, the CIE slot, and a courtesy text for every SPID anomaly.
#include "gateway/login/login_pages.hpp"

#include "gateway/login/html.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

TEST(login_pages, every_spid_anomaly_has_an_italian_and_english_text) {
  for (const char* code : {"nr19", "nr20", "nr21", "nr22", "nr23", "nr25", "nr30"}) {
    auto text = spid_anomaly_text(code);
    EXPECT_FALSE(text.it.empty()) << code;
    EXPECT_FALSE(text.en.empty()) << code;
    login_error e{403, "spid_anomaly", code, "rid"};
    const auto page = render_login_error_page(e);
    EXPECT_NE(page.find(html_escape(text.it)), std::string::npos) << code;
    EXPECT_NE(page.find("href=\"/login\""), std::string::npos);
  }
  EXPECT_TRUE(spid_anomaly_text("nr24").it.empty());
  EXPECT_TRUE(spid_anomaly_text("").it.empty());
}

TEST(login_pages, cie_button_is_disabled_until_configured) {
  login_page page;
  page.spid = {{"https://idp.example/x", "IdP <Esempio>", ""}};
  auto html = render_login_page(page);
  EXPECT_NE(html.find("presto disponibile"), std::string::npos);
  EXPECT_NE(html.find("id=\"cie-button\" disabled"), std::string::npos);
  EXPECT_NE(html.find("IdP &lt;Esempio&gt;"), std::string::npos);  // escaped
  EXPECT_NE(html.find("/saml/login?idp=https%3A%2F%2Fidp.example%2Fx"), std::string::npos);
  EXPECT_NE(html.find("Termini e condizioni"), std::string::npos);
  EXPECT_NE(html.find("Informativa Privacy"), std::string::npos);

  page.cie_configured = true;
  page.cie = {{"https://cie.example", "CIE", ""}};
  html = render_login_page(page);
  EXPECT_EQ(html.find("presto disponibile"), std::string::npos);
  EXPECT_NE(html.find("id=\"cie-idps\""), std::string::npos);
}

TEST(login_pages, logged_out_pages_link_assistenza_as_mailto_when_configured) {
  login_page page;
  EXPECT_EQ(render_login_page(page).find("mailto:"), std::string::npos);
  page.support_email = "assistenza@ente.it";
  const auto login = render_login_page(page);
  EXPECT_NE(login.find("<a href=\"mailto:assistenza@ente.it\">Assistenza</a>"), std::string::npos)
      << login;
  login_error e{400, "x", "", "req", "assistenza@ente.it"};
  EXPECT_NE(render_login_error_page(e).find("href=\"mailto:assistenza@ente.it\""),
            std::string::npos);
  EXPECT_NE(
      render_logged_out_page(true, "assistenza@ente.it").find("href=\"mailto:assistenza@ente.it\""),
      std::string::npos);
  EXPECT_EQ(render_logged_out_page(true).find("mailto:"), std::string::npos);
}

TEST(login_pages, error_values_are_escaped) {
  login_error e{400, "<script>", "", "\"id\""};
  const auto html = render_login_error_page(e);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(render_login_error_json(e).find("\"error\":\"<script>\""), std::string::npos);
}

}  // namespace
}  // namespace varco::gateway
