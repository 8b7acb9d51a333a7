// The header set on every page varco renders itself.
#include "gateway/http/security_headers.hpp"

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include <string>

namespace varco::gateway {
namespace {

namespace http = boost::beast::http;

std::string csp(bool tls, bool plain_http) {
  http::response_header<> response;
  add_security_headers(response, tls, plain_http);
  return std::string(response["Content-Security-Policy"]);
}

TEST(security_headers, strict_policy_framing_referrer_and_sniffing) {
  http::response_header<> response;
  add_security_headers(response, false, false);
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  const std::string policy = csp(false, false);
  for (const char* part : {"default-src 'self'", "script-src 'self'", "style-src 'self'",
                           "font-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'",
                           "object-src 'none'", "form-action 'self' https:"}) {
    EXPECT_NE(policy.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(policy.find("http:"), std::string::npos);
}

TEST(security_headers, plain_http_lets_forms_post_to_a_loopback_idp_only) {
  EXPECT_EQ(csp(false, false).find("127.0.0.1"), std::string::npos);
  EXPECT_NE(csp(false, true).find("form-action 'self' https: http://127.0.0.1:*"),
            std::string::npos);
}

TEST(security_headers, hsts_only_over_tls) {
  http::response_header<> plain;
  add_security_headers(plain, false, true);
  EXPECT_EQ(plain.count(http::field::strict_transport_security), 0u);
  http::response_header<> tls;
  add_security_headers(tls, true, false);
  EXPECT_EQ(tls[http::field::strict_transport_security], "max-age=31536000");
  // Setting twice (a page built from another) keeps one of each.
  add_security_headers(tls, true, false);
  EXPECT_EQ(tls.count("Content-Security-Policy"), 1u);
}

}  // namespace
}  // namespace varco::gateway
