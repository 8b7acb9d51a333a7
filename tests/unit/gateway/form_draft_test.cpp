// The draft of a form posted after its session ended: which fields each form keeps and how far,
// the record's round trip, records it refuses or trims, and the two pages showing a draft back.
#include "gateway/portal/form_draft.hpp"

#include "gateway/pages/page_renderer.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace std::chrono_literals;
using millis_time = std::chrono::sys_time<std::chrono::milliseconds>;

constexpr millis_time posted_at{1'700'000'000'123ms};

conf::support support_on() {
  conf::support s;
  s.enabled = true;
  s.max_subject_chars = 10;
  s.max_message_chars = 20;
  return s;
}

const std::map<std::string, std::string> support_post = {
    {"csrf", "the-old-token"},  {"email", "mario.rossi@example.org"},
    {"subject", "Non entro"},   {"message", "Riga uno\r\nRiga due"},
    {"product", "prod-pagopa"}, {"extra", "not a field of the form"},
};

TEST(form_draft, only_the_two_forms_keep_drafts) {
  EXPECT_TRUE(is_draft_form("/area/support"));
  EXPECT_TRUE(is_draft_form("/area/users"));
  for (const char* path : {"/area", "/area/party", "/area/users/member", "/area/join",
                           "/area/environment", "/area/support/sent", "/logout", ""})
    EXPECT_FALSE(is_draft_form(path)) << path;
  EXPECT_FALSE(draft_fields_of("/area/support", support_on()).empty());
  // Without a support section the Assistenza form does not exist, so it keeps nothing.
  EXPECT_TRUE(draft_fields_of("/area/support", conf::support{}).empty());
  EXPECT_EQ(draft_fields_of("/area/users", conf::support{}).size(), 6u);
  for (const auto& field : draft_fields_of("/area/users", conf::support{}))
    EXPECT_NE(field.name, "csrf");
}

TEST(form_draft, keeps_the_forms_fields_without_the_token_and_round_trips) {
  const auto draft = make_draft("/area/support", support_post, support_on(), posted_at);
  ASSERT_TRUE(draft);
  EXPECT_EQ(draft->path, "/area/support");
  EXPECT_EQ(draft->saved_at, posted_at);
  const std::map<std::string, std::string> kept = {{"email", "mario.rossi@example.org"},
                                                   {"message", "Riga uno\nRiga due"},
                                                   {"product", "prod-pagopa"},
                                                   {"subject", "Non entro"}};
  EXPECT_EQ(draft->fields, kept);  // no csrf, no unknown field, CRLF folded

  const std::string record = encode_draft(*draft);
  EXPECT_EQ(record.find("the-old-token"), std::string::npos);
  EXPECT_EQ(record.find("csrf"), std::string::npos);
  EXPECT_EQ(record.rfind("v=1&path=%2Farea%2Fsupport&at=1700000000123&", 0), 0u) << record;
  const auto back = decode_draft(record, support_on());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->path, draft->path);
  EXPECT_EQ(back->saved_at, draft->saved_at);
  EXPECT_EQ(back->fields, draft->fields);
}

TEST(form_draft, text_that_needs_escaping_survives_the_record) {
  form_draft draft;
  draft.path = "/area/users";
  draft.saved_at = posted_at;
  draft.fields = {{"name", "Zoë & <Anna>=%2B+ più"}, {"family_name", ""}, {"role", "admin"}};
  const auto back = decode_draft(encode_draft(draft), conf::support{});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->fields, draft.fields);
}

TEST(form_draft, each_field_is_cut_to_its_forms_limit_at_a_character_boundary) {
  auto post = support_post;
  post["subject"] = "àèìòùàèìòùXYZ";  // 13 characters, 2 bytes for each accented one
  post["message"] = std::string(30, 'm');
  post["email"] = std::string(300, 'e');
  const auto draft = make_draft("/area/support", post, support_on(), posted_at);
  ASSERT_TRUE(draft);
  EXPECT_EQ(draft->fields.at("subject"), "àèìòùàèìòù");
  EXPECT_EQ(draft->fields.at("message"), std::string(20, 'm'));
  EXPECT_EQ(draft->fields.at("email"), std::string(254, 'e'));
  // CRLF counts once, as the form's validation counts it.
  post["message"] = "1234567890\r\n123456789";
  EXPECT_EQ(make_draft("/area/support", post, support_on(), posted_at)->fields.at("message"),
            "1234567890\n123456789");

  std::map<std::string, std::string> users_post = {{"name", std::string(150, 'n')},
                                                   {"fiscal_number", std::string(40, 'F')},
                                                   {"family_name", "Neri\xC3"}};  // cut UTF-8
  const auto user = make_draft("/area/users", users_post, conf::support{}, posted_at);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->fields.at("name"), std::string(100, 'n'));
  EXPECT_EQ(user->fields.at("fiscal_number"), std::string(22, 'F'));
  EXPECT_FALSE(user->fields.contains("family_name"));  // not UTF-8: left out

  EXPECT_FALSE(make_draft("/area/party", support_post, support_on(), posted_at));
  EXPECT_FALSE(make_draft("/area/support", support_post, conf::support{}, posted_at));
}

TEST(form_draft, truncate_utf8_counts_code_points) {
  EXPECT_EQ(truncate_utf8("abc", 5), "abc");
  EXPECT_EQ(truncate_utf8("abc", 0), "");
  EXPECT_EQ(truncate_utf8("a€b", 2), "a€");
  EXPECT_EQ(truncate_utf8("😀😀", 1), "😀");
  EXPECT_FALSE(truncate_utf8("\xC0\xAF", 5));    // overlong
  EXPECT_FALSE(truncate_utf8("ok\xE2\x82", 5));  // cut short
}

TEST(form_draft, unknown_and_oversized_fields_in_a_record_are_dropped) {
  const std::string record =
      "v=1&path=%2Farea%2Fsupport&at=5&f.subject=ok&f.csrf=t&f.nope=x"
      "&f.message=" +
      std::string(21, 'm') + "&f.email=%C3";
  const auto draft = decode_draft(record, support_on());
  ASSERT_TRUE(draft);
  const std::map<std::string, std::string> kept = {{"subject", "ok"}};
  EXPECT_EQ(draft->fields, kept);
  EXPECT_EQ(draft->saved_at.time_since_epoch(), 5ms);
}

TEST(form_draft, a_record_it_did_not_write_is_rejected) {
  const conf::support support = support_on();
  for (const char* corrupt : {
           "", "garbage",
           "v=2&path=%2Farea%2Fsupport&at=1&f.subject=x",              // another version
           "path=%2Farea%2Fsupport&at=1&f.subject=x",                  // no version
           "v=1&at=1&f.subject=x",                                     // no path
           "v=1&path=%2Farea%2Fparty&at=1&f.subject=x",                // a path without drafts
           "v=1&path=%2Farea%2Fsupport&f.subject=x",                   // no time
           "v=1&path=%2Farea%2Fsupport&at=-1&f.subject=x",             // a negative time
           "v=1&path=%2Farea%2Fsupport&at=1x&f.subject=x",             // not a number
           "v=1&path=%2Farea%2Fsupport&at=99999999999999999999",       // out of range
           "v=1&path=%2Farea%2Fsupport&at=1&f.subject=%zz",            // a bad escape
           "v=1&path=%2Farea%2Fsupport&at=1&f.subject=a&f.subject=b",  // a key twice
           "v=1&path=%2Farea%2Fsupport&at=1&subject=x",                // a key outside the fields
       }) {
    EXPECT_FALSE(decode_draft(corrupt, support)) << corrupt;
  }
  // Written for Assistenza, read where the config no longer has it.
  EXPECT_FALSE(decode_draft("v=1&path=%2Farea%2Fsupport&at=1&f.subject=x", conf::support{}));
}

TEST(form_draft_page, users_shows_the_draft_in_the_add_form_with_the_notice) {
  using namespace area_testing;
  auto config = area_config();
  config.directory.backend = conf::directory_backend::redis;
  const auto directory = area_directory();
  const auto view = build_area_view(area_session(), *directory, config);
  const auto users = build_users_view(area_session(), *directory, config);
  users_page_state state;
  state.form = {"NREGLI90D45L219R",  "Giulia <b>",  "Neri",
                "giulia@example.it", "prod-pagopa", "admin"};
  state.draft_restored = true;
  const auto html = page_renderer::for_this_thread().users(view, users, state);
  EXPECT_NE(html.find("id=\"draft-notice\""), std::string::npos);
  EXPECT_NE(html.find("La sessione era scaduta: abbiamo conservato quanto avevi scritto."),
            std::string::npos);
  EXPECT_NE(html.find("value=\"NREGLI90D45L219R\""), std::string::npos);
  EXPECT_NE(html.find("value=\"Giulia &lt;b&gt;\""), std::string::npos);
  EXPECT_NE(html.find("id=\"role-admin\" value=\"admin\" checked"), std::string::npos);
  EXPECT_EQ(html.find("id=\"form-errors\""), std::string::npos);  // nothing checked yet

  const auto english =
      page_renderer::for_this_thread(language::en, "/area/users").users(view, users, state);
  EXPECT_NE(english.find("Your session had expired: we kept what you had written."),
            std::string::npos);

  state.draft_restored = false;
  EXPECT_EQ(page_renderer::for_this_thread().users(view, users, state).find("draft-notice"),
            std::string::npos);
}

TEST(form_draft_page, support_shows_the_draft_with_the_notice) {
  using namespace area_testing;
  const auto config = area_config();
  const auto view = build_area_view(area_session(), *area_directory(), config);
  support_page_view page;
  page.support_email = "assistenza@ente.it";
  page.products = view.active;
  page.values = {"mario@example.org", "Non entro", "Riga uno\nRiga due", "prod-pagopa"};
  page.draft_restored = true;
  const auto html = page_renderer::for_this_thread().support(view, page);
  EXPECT_NE(html.find("id=\"draft-notice\""), std::string::npos);
  EXPECT_NE(html.find("role=\"status\" id=\"draft-notice\""), std::string::npos);
  EXPECT_NE(html.find("value=\"Non entro\""), std::string::npos);
  EXPECT_NE(html.find(">Riga uno\nRiga due</textarea>"), std::string::npos);
  EXPECT_NE(html.find("<title>Assistenza"), std::string::npos);  // not an error page
  page.draft_restored = false;
  EXPECT_EQ(page_renderer::for_this_thread().support(view, page).find("draft-notice"),
            std::string::npos);
}

}  // namespace
}  // namespace varco::gateway
