// The one builder of varco's own redirects: every one carries the security headers.
#include "gateway/http/redirect.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

namespace http = boost::beast::http;

TEST(redirect_response, carries_location_no_store_the_security_headers_and_the_request_id) {
  const auto response = redirect_response(http::status::found, "/login?return=%2Fapp", "req-1",
                                          /*tls=*/true, /*plain_http=*/false);
  EXPECT_EQ(response.result(), http::status::found);
  EXPECT_EQ(response[http::field::location], "/login?return=%2Fapp");
  EXPECT_EQ(response[http::field::cache_control], "no-store");
  EXPECT_EQ(response["X-Request-Id"], "req-1");
  EXPECT_NE(response["Content-Security-Policy"].find("frame-ancestors 'none'"),
            std::string_view::npos);
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response[http::field::strict_transport_security], "max-age=31536000");
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::content_length], "0");
}

TEST(redirect_response, keeps_the_status_and_follows_the_connection_for_hsts) {
  const auto response =
      redirect_response(http::status::see_other, "/area?done=saved", "req-2", false, true);
  EXPECT_EQ(response.result(), http::status::see_other);
  EXPECT_EQ(response.count(http::field::strict_transport_security), 0u);
  EXPECT_NE(response["Content-Security-Policy"].find("http://127.0.0.1:*"), std::string_view::npos);
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
}

}  // namespace
}  // namespace varco::gateway
