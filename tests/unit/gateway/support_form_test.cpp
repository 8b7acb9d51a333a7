// The Assistenza form: each field's rule from a table of inputs that break exactly it, the
// stream entry layout and the webhook body, and the page showing what the user typed with the
// errors.
#include "gateway/pages/support_form.hpp"

#include "gateway/pages/page_renderer.hpp"
#include "gateway/portal/support_stream.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

#include <array>

namespace varco::gateway {
namespace {

const std::array<std::string, 2> party_products{"prod-pagopa", "prod-io"};

support_request valid_request() {
  return {"mario.rossi@comune.valdoria.it", "Non vedo il prodotto", "Buongiorno,\ngrazie.",
          "prod-io"};
}

support_field_errors check(const support_request& r) {
  return validate_support_request(r, conf::support{}, party_products);
}

TEST(support_form, a_complete_request_passes_and_the_product_is_optional) {
  EXPECT_FALSE(check(valid_request()).any());
  auto no_product = valid_request();
  no_product.product.clear();
  EXPECT_FALSE(check(no_product).any());
}

TEST(support_form, email_shapes) {
  for (const char* good : {"a@b.it", "nome.cognome+tag@sub.ente.gov.it", "x_y@a-b.example"})
    EXPECT_TRUE(is_email_shape(good)) << good;
  for (const char* bad : {"", "mario", "@ente.it", "mario@", "mario@ente", "ma rio@ente.it",
                          "mario@@ente.it", "mario@ente..it", "mario@-ente.it", "mario@ente.it.",
                          "<script>@ente.it", "mario@ente.it\nBcc: x@y.it"})
    EXPECT_FALSE(is_email_shape(bad)) << bad;
  EXPECT_FALSE(is_email_shape(std::string(65, 'a') + "@ente.it"));  // local part over 64
  EXPECT_FALSE(is_email_shape("a@" + std::string(250, 'b') + ".it"));
}

TEST(support_form, each_rule_reports_only_its_field) {
  auto r = valid_request();
  r.email = "mario";
  auto e = check(r);
  EXPECT_FALSE(e.email.empty());
  EXPECT_TRUE(e.subject.empty() && e.message.empty() && e.product.empty());

  r = valid_request();
  r.subject = "";
  e = check(r);
  EXPECT_EQ(e.subject, "Scrivi l'oggetto.");
  EXPECT_TRUE(e.email.empty() && e.message.empty() && e.product.empty());

  r = valid_request();
  r.subject = std::string(201, 'x');
  EXPECT_NE(check(r).subject.find("al massimo 200 caratteri (ne hai scritti 201)"),
            std::string::npos);

  r = valid_request();
  r.subject = "riga uno\nBcc: altro@ente.it";
  EXPECT_EQ(check(r).subject, "L'oggetto deve stare su una sola riga.");

  r = valid_request();
  r.message = "";
  EXPECT_EQ(check(r).message, "Scrivi il messaggio.");

  r = valid_request();
  r.message = std::string(5001, 'x');
  EXPECT_FALSE(check(r).message.empty());
  r.message = std::string(5000, 'x');
  EXPECT_TRUE(check(r).message.empty());

  r = valid_request();
  r.message = "ok\x01";
  EXPECT_FALSE(check(r).message.empty());

  r = valid_request();
  r.product = "prod-pn";  // configured, but not one of the party's
  e = check(r);
  EXPECT_FALSE(e.product.empty());
  EXPECT_TRUE(e.email.empty() && e.subject.empty() && e.message.empty());
}

TEST(support_form, lengths_count_characters_not_bytes) {
  auto r = valid_request();
  r.subject = std::string();
  for (int i = 0; i < 200; ++i) r.subject += "è";  // 400 bytes, 200 characters
  EXPECT_TRUE(check(r).subject.empty());
  EXPECT_EQ(utf8_length("città"), 5u);
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80"), 1u);
  EXPECT_FALSE(utf8_length("\xC3"));              // cut short
  EXPECT_FALSE(utf8_length("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(utf8_length("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8_length("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  r.message = "\xFF";
  EXPECT_EQ(check(r).message, "Il messaggio contiene caratteri non validi.");
}

TEST(support_form, limits_come_from_the_config) {
  conf::support settings;
  settings.max_subject_chars = 5;
  auto r = valid_request();
  r.subject = "sei c.";
  EXPECT_FALSE(validate_support_request(r, settings, party_products).subject.empty());
}

TEST(support_form, fields_are_read_trimmed_and_crlf_folded) {
  const auto r = support_request_from({{"email", "  a@b.it \r\n"},
                                       {"subject", " Oggetto "},
                                       {"message", "riga\r\naltra\r\n"},
                                       {"product", "prod-io"},
                                       {"csrf", "x"}});
  EXPECT_EQ(r.email, "a@b.it");
  EXPECT_EQ(r.subject, "Oggetto");
  EXPECT_EQ(r.message, "riga\naltra\n");
  EXPECT_EQ(r.product, "prod-io");
}

TEST(support_stream, the_entry_carries_every_field_and_the_webhook_gets_them) {
  support_ticket t;
  t.email = "a@b.it";
  t.subject = "S";
  t.message = "M";
  t.fiscal_number = "RSSMRA80A01H501U";
  t.request_id = "req-1";
  const auto fields = support_fields(t);
  std::vector<std::string> names;
  for (const auto& field : fields) names.push_back(field.first);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "email", "subject", "message", "product", "product_title", "fiscal_number",
                       "user_name", "party_id", "party_name", "created_at", "request_id"}));

  const redis::stream_entry entry{"1700000000000-0", fields};
  EXPECT_EQ(entry.field("fiscal_number"), "RSSMRA80A01H501U");
  EXPECT_EQ(entry.field("request_id"), "req-1");
  EXPECT_EQ(entry.field("missing"), "");
  const auto json = support_webhook_body(entry, 3);
  EXPECT_NE(json.find("\"ticket\":\"1700000000000-0\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"fiscal_number\":\"RSSMRA80A01H501U\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"attempt\":3"), std::string::npos) << json;
}

TEST(support_stream, ticket_ids) {
  EXPECT_TRUE(is_ticket_id("1700000000000-0"));
  for (const char* bad : {"", "-", "1-", "-1", "1", "1-0-0", "a-0", "1-0<b>", "1 -0"})
    EXPECT_FALSE(is_ticket_id(bad)) << bad;
}

TEST(support_page, keeps_what_was_typed_and_shows_each_error) {
  using namespace area_testing;
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  support_page_view page;
  page.support_email = "assistenza@ente.it";
  page.values = {"mario", "Oggetto <b>", "Testo\n<script>", "prod-io"};
  page.errors.email = "Scrivi un indirizzo e-mail valido, ad esempio nome@ente.it.";
  page.products = view.active;
  const auto html = page_renderer::for_this_thread().support(view, page);
  EXPECT_NE(html.find("value=\"mario\""), std::string::npos);
  EXPECT_NE(html.find("Oggetto &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("Testo\n&lt;script&gt;</textarea>"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("id=\"support-email-error\""), std::string::npos);
  EXPECT_NE(html.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"support-subject-error\""), std::string::npos);
  EXPECT_NE(html.find("href=\"#support-email\""), std::string::npos);
  EXPECT_NE(html.find("<title>Errore: Assistenza"), std::string::npos);
  EXPECT_NE(html.find("name=\"csrf\""), std::string::npos);
  EXPECT_NE(html.find("mailto:assistenza@ente.it"), std::string::npos);

  page.form = false;
  const auto mailto_only = page_renderer::for_this_thread().support(view, page);
  EXPECT_EQ(mailto_only.find("id=\"support-form\""), std::string::npos);
  EXPECT_NE(mailto_only.find("id=\"support-mailto\""), std::string::npos);

  const auto sent = page_renderer::for_this_thread().support_sent(view, "1700000000000-0");
  EXPECT_NE(sent.find("Richiesta inviata"), std::string::npos);
  EXPECT_NE(sent.find("1700000000000-0"), std::string::npos);
}

}  // namespace
}  // namespace varco::gateway
