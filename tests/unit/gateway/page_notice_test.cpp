// Post/Redirect/Get: the notice a page shows after an action (from ?done=, fixed texts only), its
// close link, and where a form's answer leads the language switch.
#include "gateway/pages/page_notice.hpp"

#include "gateway/pages/page_renderer.hpp"
#include "tests/unit/gateway/area_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using namespace area_testing;

bool has(const std::string& html, std::string_view text) {
  return html.find(text) != std::string::npos;
}

TEST(page_notice, a_known_done_code_names_a_fixed_text_and_its_close_link_drops_only_done) {
  const auto notice = notice_of("/area/users?page=2&done=suspended&lang=en");
  EXPECT_EQ(notice.text, notice_for("suspended"));
  EXPECT_FALSE(notice.text.empty());
  EXPECT_EQ(notice.close_url, "/area/users?page=2&lang=en");
  EXPECT_EQ(notice_of("/area?done=party_switched").close_url, "/area");
}

TEST(page_notice, unknown_or_missing_codes_show_nothing_and_input_is_never_echoed) {
  EXPECT_TRUE(notice_of("/area").text.empty());
  EXPECT_TRUE(notice_of("/area?x=1").text.empty());
  EXPECT_TRUE(notice_of("/area?done=%3Cscript%3E").text.empty());
  EXPECT_TRUE(notice_of("/area?done=").text.empty());
  EXPECT_TRUE(notice_of("/area?done=%zz").text.empty());  // a malformed query: no notice
  for (const char* code :
       {"added", "suspended", "reactivated", "removed", "join_requested", "party_switched"}) {
    EXPECT_FALSE(notice_for(code).empty()) << code;
    EXPECT_NE(translated(notice_for(code), language::en), notice_for(code)) << code;
  }
}

TEST(page_notice, without_parameter_keeps_the_others_in_order) {
  EXPECT_EQ(without_parameter("/a?done=x", "done"), "/a");
  EXPECT_EQ(without_parameter("/a?x=1&done=y&z=2&done=w", "done"), "/a?x=1&z=2");
  EXPECT_EQ(without_parameter("/a?donewell=1", "done"), "/a?donewell=1");
  EXPECT_EQ(without_parameter("/a", "done"), "/a");
}

TEST(page_notice, a_forms_answer_belongs_to_the_page_of_the_form) {
  EXPECT_EQ(page_of_request(true, "/area/users?done=added"), "/area/users?done=added");
  EXPECT_EQ(page_of_request(false, "/area/users/member"), "/area/users");
  EXPECT_EQ(page_of_request(false, "/area/users"), "/area/users");
  EXPECT_EQ(page_of_request(false, "/area/join"), "/area");
  EXPECT_EQ(page_of_request(false, "/area/party"), "/area");
  EXPECT_EQ(page_of_request(false, "/area/environment"), "/area");
  EXPECT_EQ(page_of_request(false, "/area/support"), "/area/support");
  EXPECT_EQ(page_of_request(false, "/area/unknown"), "/area");
  EXPECT_EQ(page_of_request(false, "/saml/acs"), "/login");
  EXPECT_EQ(page_of_request(false, "/logout"), "/login");
  // So the switch of a POST's answer (a 422 form, a 409) is a GET of a page, never the action.
  EXPECT_EQ(language_switch_url(page_of_request(false, "/area/users/member"), language::en),
            "/area/users?lang=en");
}

TEST(page_notice, the_frame_shows_the_notice_in_the_pages_language_with_the_party_escaped) {
  const auto config = area_config();
  auto context = make_page_context(language::it, "/area?done=party_switched", config);
  const auto view = build_area_view(area_session(), *area_directory(), config);
  auto html = page_renderer::for_this_thread(context).overview(view);
  EXPECT_TRUE(has(html, "id=\"notice\""));
  EXPECT_TRUE(has(html, "Ora stai operando per <strong>Comune di Valdoria</strong>."));
  EXPECT_TRUE(has(html, "class=\"btn notification-close\" href=\"/area\""));
  // The language switch keeps ?done=: the same notice, in English.
  EXPECT_TRUE(has(html, "href=\"/area?lang=en&amp;done=party_switched\""));
  context = make_page_context(language::en, "/area?lang=en&done=party_switched", config);
  html = page_renderer::for_this_thread(context).overview(view);
  EXPECT_TRUE(has(html, "You are now acting for <strong>Comune di Valdoria</strong>."));
  // No code, no notice.
  html = page_renderer::for_this_thread(make_page_context(language::it, "/area", config))
             .overview(view);
  EXPECT_FALSE(has(html, "id=\"notice\""));
}

}  // namespace
}  // namespace varco::gateway
