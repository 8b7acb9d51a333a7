// The Area Riservata's endpoints against in-process services: no worker, no socket, no Redis.
#include "gateway/portal/area_endpoints.hpp"

#include "endpoint_fakes.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using endpoint_testing::services_fixture;

class area_endpoints_test : public ::testing::Test {
 protected:
  area_services services() {
    return area_services{fx.runtime_source, fx.sessions, *fx.login_state, fx.directory, nullptr};
  }

  handler_result get(reserved_endpoint endpoint, std::string target, std::string cookie = {},
                     bool json = false) {
    auto services_now = services();
    area_endpoints area(services_now);
    const auto request = fx.request(http::verb::get, target, std::move(cookie));
    const auto path = target.substr(0, target.find('?'));
    return fx.run(area.handle(endpoint, request.base(), fx.runtime_source.value(),
                              fx.exchange_for(path, json)));
  }

  handler_result post(reserved_endpoint endpoint, std::string path, std::string cookie,
                      std::string form) {
    auto services_now = services();
    area_endpoints area(services_now);
    const auto request = fx.request(http::verb::post, path, std::move(cookie), std::move(form));
    auto first = fx.run(
        area.handle(endpoint, request.base(), fx.runtime_source.value(), fx.exchange_for(path)));
    EXPECT_TRUE(first.wants_body) << "a POST reads its form first";
    EXPECT_FALSE(first.response);
    return fx.run(area.handle_body(endpoint, request, fx.runtime_source.value(), std::move(first)));
  }

  services_fixture fx;
};

TEST_F(area_endpoints_test, without_a_session_a_browser_goes_to_the_login_and_a_program_gets_401) {
  auto page = get(reserved_endpoint::area_overview, "/area");
  ASSERT_TRUE(page.response);
  EXPECT_EQ(page.response->result_int(), 302);
  EXPECT_EQ(page.response->at(http::field::location), "/login?return=%2Farea");
  EXPECT_EQ(page.notes.reason, "login_required");

  auto api = get(reserved_endpoint::area_overview, "/area", {}, true);
  ASSERT_TRUE(api.response);
  EXPECT_EQ(api.response->result_int(), 401);
  EXPECT_NE(api.response->body().find("login_required"), std::string::npos);
}

TEST_F(area_endpoints_test, an_ended_session_sends_the_browser_to_the_login_saying_it_expired) {
  auto page = get(reserved_endpoint::area_users, "/area/users", "not-a-live-session-id");
  ASSERT_TRUE(page.response);
  EXPECT_EQ(page.response->result_int(), 302);
  EXPECT_NE(page.response->at(http::field::location).find("expired=1"), std::string_view::npos);
}

TEST_F(area_endpoints_test, the_overview_shows_the_signed_in_users_party) {
  const auto cookie = fx.sign_in();
  auto page = get(reserved_endpoint::area_overview, "/area", cookie);
  ASSERT_TRUE(page.response);
  EXPECT_EQ(page.response->result_int(), 200);
  EXPECT_EQ(page.notes.party, area_testing::comune);
  EXPECT_NE(page.response->body().find("Comune di Valdoria"), std::string::npos);
  EXPECT_EQ(page.response->at(http::field::cache_control), "no-store");
}

TEST_F(area_endpoints_test, an_unknown_area_page_is_404_in_the_users_frame) {
  const auto cookie = fx.sign_in();
  auto page = get(reserved_endpoint::area_unknown, "/area/nothing-here", cookie);
  ASSERT_TRUE(page.response);
  EXPECT_EQ(page.response->result_int(), 404);
  EXPECT_EQ(page.notes.reason, "no_route");
  EXPECT_NE(page.response->body().find("Mario"), std::string::npos) << "the user's menu";
}

TEST_F(area_endpoints_test, a_form_without_the_sessions_token_is_refused_and_changes_nothing) {
  const auto cookie = fx.sign_in();
  auto answer = post(reserved_endpoint::area_party, "/area/party", cookie,
                     "csrf=wrong&party=" + std::string(area_testing::partner));
  ASSERT_TRUE(answer.response);
  EXPECT_EQ(answer.response->result_int(), 403);
  EXPECT_EQ(answer.notes.reason, "csrf_invalid");
  auto still = fx.run(fx.sessions.find_shared(cookie));
  ASSERT_TRUE(still && *still);
  EXPECT_EQ((*still)->selected_party, area_testing::comune);
}

TEST_F(area_endpoints_test, the_party_switch_is_stored_and_answered_with_a_notice) {
  const auto cookie = fx.sign_in();
  const auto token = fx.csrf_of(cookie);
  auto answer = post(reserved_endpoint::area_party, "/area/party", cookie,
                     "csrf=" + token + "&party=" + std::string(area_testing::partner));
  ASSERT_TRUE(answer.response);
  EXPECT_EQ(answer.response->result_int(), 303);
  EXPECT_EQ(answer.response->at(http::field::location), "/area?done=party_switched");
  auto stored = fx.run(fx.sessions.find_shared(cookie));
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->selected_party, area_testing::partner);
}

TEST_F(area_endpoints_test, a_read_only_directory_refuses_a_new_user_before_writing) {
  fx.directory.writable = false;
  const auto cookie = fx.sign_in();
  const auto token = fx.csrf_of(cookie);
  auto answer = post(reserved_endpoint::area_users, "/area/users", cookie,
                     "csrf=" + token +
                         "&fiscal_number=VRDLGU85B02F205X&name=Luigi&family_name=Verdi"
                         "&email=luigi%40example.it&product=prod-pagopa&role=operator");
  ASSERT_TRUE(answer.response);
  EXPECT_GE(answer.response->result_int(), 400);
  EXPECT_EQ(fx.directory.reloads, 0) << "nothing was written, so nothing is read back";
}

}  // namespace
}  // namespace varco::gateway
