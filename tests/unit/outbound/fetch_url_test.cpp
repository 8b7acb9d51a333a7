#include "gateway/outbound/fetch_url.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

TEST(parse_fetch_url, takes_an_https_url_apart) {
  auto url = parse_fetch_url("https://OP.Example.it/.well-known/openid-federation?a=1&b=%2F");
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->https);
  EXPECT_EQ(url->host, "op.example.it");
  EXPECT_TRUE(url->host_is_name);
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/.well-known/openid-federation?a=1&b=%2F");
  EXPECT_EQ(url->host_field(), "op.example.it");
  EXPECT_EQ(url->for_log(), "https://op.example.it/.well-known/openid-federation");
}

TEST(parse_fetch_url, ports_and_empty_paths) {
  auto plain = parse_fetch_url("http://idp.example:8080");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->https);
  EXPECT_EQ(plain->port, 8080);
  EXPECT_EQ(plain->target, "/");
  EXPECT_EQ(plain->host_field(), "idp.example:8080");

  auto query_only = parse_fetch_url("http://idp.example?x=1");
  ASSERT_TRUE(query_only);
  EXPECT_EQ(query_only->target, "/?x=1");
  EXPECT_EQ(query_only->for_log(), "http://idp.example/");

  auto standard = parse_fetch_url("https://idp.example:443/m");
  ASSERT_TRUE(standard);
  EXPECT_EQ(standard->host_field(), "idp.example");
  auto empty_port = parse_fetch_url("http://idp.example:/m");
  ASSERT_TRUE(empty_port);
  EXPECT_EQ(empty_port->port, 80);
  auto https_on_80 = parse_fetch_url("https://idp.example:80/m");
  ASSERT_TRUE(https_on_80);
  EXPECT_EQ(https_on_80->host_field(), "idp.example:80");
}

TEST(parse_fetch_url, addresses_are_not_names) {
  auto v4 = parse_fetch_url("https://192.0.2.1:8443/x");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "192.0.2.1");
  EXPECT_FALSE(v4->host_is_name);
  EXPECT_EQ(v4->host_field(), "192.0.2.1:8443");

  auto v6 = parse_fetch_url("http://[2001:db8::1]:8080/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "2001:db8::1");  // as the resolver wants it
  EXPECT_FALSE(v6->host_is_name);
  EXPECT_EQ(v6->host_field(), "[2001:db8::1]:8080");
  EXPECT_EQ(v6->for_log(), "http://[2001:db8::1]:8080/x");
}

TEST(parse_fetch_url, refuses_what_is_not_a_plain_http_url) {
  for (const char* text : {"",
                           "idp.example/x",
                           "/x",
                           "//idp.example/x",
                           "ftp://idp.example/",
                           "HTTPS:/x",
                           "http://",
                           "http:///x",
                           "http://u:p@idp.example/",
                           "http://@idp.example/",
                           "http://idp.example/#",
                           "http://idp.example/x#y",
                           "http://idp.example:0/",
                           "http://idp.example:65536/",
                           "http://idp.example:99999999999/",
                           "http://idp example/",
                           "http://idp%0d%0a.example/",
                           "http://idp%2fexample/",
                           "http://[v7.x]/",
                           "http://idp.example/a b",
                           "http://idp.example:8o/",
                           "http://idp.example:b/",
                           "http://idp.example:8x?q",
                           "http://[::1]:8x/"}) {
    EXPECT_FALSE(parse_fetch_url(text)) << text;
  }
  EXPECT_TRUE(parse_fetch_url("HTTP://idp.example/x"));     // the scheme is case-insensitive
  EXPECT_TRUE(parse_fetch_url("http://idp%2Dx.example/"));  // "%2D" is '-'
  EXPECT_EQ(parse_fetch_url("http://idp%2Dx.example/")->host, "idp-x.example");
}

TEST(parse_fetch_url, refuses_overlong_urls_before_parsing) {
  const std::string base = "https://idp.example/";
  EXPECT_TRUE(parse_fetch_url(base + std::string(max_fetch_url_bytes - base.size(), 'a')));
  EXPECT_FALSE(parse_fetch_url(base + std::string(max_fetch_url_bytes - base.size() + 1, 'a')));
}

TEST(append_query, adds_a_percent_encoded_parameter) {
  EXPECT_EQ(append_query("https://ta.example/fetch", "sub", "https://rp.example/oidc"),
            "https://ta.example/fetch?sub=https%3A%2F%2Frp.example%2Foidc");
  EXPECT_EQ(append_query("https://ta.example/fetch?iss=x", "sub", "a b&c"),
            "https://ta.example/fetch?iss=x&sub=a%20b%26c");
  EXPECT_EQ(append_query("https://ta.example/fetch?", "sub", "e"),
            "https://ta.example/fetch?sub=e");
  EXPECT_EQ(append_query("https://ta.example/fetch?a=1&", "sub", "e"),
            "https://ta.example/fetch?a=1&sub=e");
  EXPECT_EQ(append_query("https://ta.example/f#frag", "s u", "é"),
            "https://ta.example/f?s%20u=%C3%A9#frag");
}

}  // namespace
}  // namespace varco::gateway
