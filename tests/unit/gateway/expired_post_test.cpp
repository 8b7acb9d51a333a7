// A form posted without a live session: which posts may leave a draft (same-origin only), and
// where the login returns to.
#include "gateway/portal/expired_post.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

constexpr std::string_view own = "https://area.example.it";
constexpr std::string_view public_origin = "https://area.example.it";

post_origin classify(std::optional<std::string_view> fetch_site,
                     std::optional<std::string_view> origin, std::string_view request = own,
                     std::string_view configured = public_origin) {
  return classify_post_origin({fetch_site, origin}, request, configured);
}

TEST(expired_post, sec_fetch_site_decides_when_it_came) {
  EXPECT_EQ(classify("same-origin", std::nullopt), post_origin::same_origin);
  EXPECT_EQ(classify("same-origin", "https://evil.example"), post_origin::same_origin);
  for (const char* other : {"cross-site", "same-site", "none", "", "SAME-ORIGIN"})
    EXPECT_EQ(classify(other, own), post_origin::cross_site) << other;
}

TEST(expired_post, otherwise_origin_must_be_the_sites_own) {
  EXPECT_EQ(classify(std::nullopt, "https://area.example.it"), post_origin::same_origin);
  EXPECT_EQ(classify(std::nullopt, "HTTPS://Area.Example.IT"), post_origin::same_origin);
  // The request's own scheme and Host, where the configured base URL says otherwise (a proxy
  // ending TLS in front, a second name).
  EXPECT_EQ(classify(std::nullopt, "http://127.0.0.1:8443", "http://127.0.0.1:8443"),
            post_origin::same_origin);
  EXPECT_EQ(classify(std::nullopt, "https://area.example.it", "http://area.example.it"),
            post_origin::same_origin);
  for (const char* other :
       {"https://evil.example", "null", "", "http://area.example.it", "https://area.example.it:444",
        "https://area.example.it.evil.example", "https://sub.area.example.it"})
    EXPECT_EQ(classify(std::nullopt, other), post_origin::cross_site) << other;
  // Nothing to compare with never matches an empty Origin.
  EXPECT_EQ(classify(std::nullopt, "", "", ""), post_origin::cross_site);
}

TEST(expired_post, neither_header_is_unknown) {
  EXPECT_EQ(classify(std::nullopt, std::nullopt), post_origin::unknown);
}

TEST(expired_post, origins_of_the_request_and_of_the_base_url) {
  EXPECT_EQ(request_origin(true, "area.example.it"), "https://area.example.it");
  EXPECT_EQ(request_origin(false, "127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(request_origin(true, ""), "");
  EXPECT_EQ(origin_of("https://area.example.it"), "https://area.example.it");
  EXPECT_EQ(origin_of("https://area.example.it/varco/"), "https://area.example.it");
  EXPECT_EQ(origin_of("http://127.0.0.1:8080?x"), "http://127.0.0.1:8080");
  for (const char* not_absolute : {"", "area.example.it", "ftp://x", "https://", "/area"})
    EXPECT_EQ(origin_of(not_absolute), "") << not_absolute;
}

TEST(expired_post, the_login_returns_to_the_page_a_draft_form_is_on) {
  // A page comes back to itself, query and all.
  EXPECT_EQ(login_return_path(true, "/area/environment", "/area/environment?product=prod-io"),
            "/area/environment?product=prod-io");
  EXPECT_EQ(login_return_path(true, "/area/support", "/area/support?lang=en"),
            "/area/support?lang=en");
  // A form with a draft comes back to its page, where the draft is offered.
  EXPECT_EQ(login_return_path(false, "/area/support", "/area/support"), "/area/support");
  EXPECT_EQ(login_return_path(false, "/area/users", "/area/users?x=1"), "/area/users");
  // Any other form's action is no page: the Panoramica.
  for (const char* action :
       {"/area/party", "/area/users/member", "/area/join", "/area/environment"})
    EXPECT_EQ(login_return_path(false, action, action), "/area") << action;
}

}  // namespace
}  // namespace varco::gateway
