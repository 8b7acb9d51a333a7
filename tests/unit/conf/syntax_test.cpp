#include "conf/syntax.hpp"

#include <gtest/gtest.h>

namespace varco::conf {
namespace {

std::string text_of(const cidr& c) {
  return std::visit([](const auto& net) { return net.to_string(); }, c);
}

TEST(syntax, parse_cidr_accepts_v4_v6_and_bare_addresses) {
  auto v4 = parse_cidr("10.0.0.0/8");
  ASSERT_TRUE(v4);
  ASSERT_TRUE(std::holds_alternative<boost::asio::ip::network_v4>(*v4));
  EXPECT_EQ(text_of(*v4), "10.0.0.0/8");
  EXPECT_TRUE(std::get<boost::asio::ip::network_v4>(*v4).hosts().find(
                  boost::asio::ip::make_address_v4("10.20.30.40")) !=
              std::get<boost::asio::ip::network_v4>(*v4).hosts().end());

  auto v6 = parse_cidr("fd00::/8");
  ASSERT_TRUE(v6);
  ASSERT_TRUE(std::holds_alternative<boost::asio::ip::network_v6>(*v6));
  EXPECT_EQ(text_of(*v6), "fd00::/8");

  auto host4 = parse_cidr("192.0.2.7");
  ASSERT_TRUE(host4);
  EXPECT_EQ(text_of(*host4), "192.0.2.7/32");
  auto host6 = parse_cidr("::1");
  ASSERT_TRUE(host6);
  EXPECT_EQ(text_of(*host6), "::1/128");
  EXPECT_TRUE(parse_cidr("0.0.0.0/0"));
}

TEST(syntax, parse_cidr_refuses_garbage_and_host_bits) {
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.1/8", "fd00::1/8", "10.0.0/8", "abc",
                          "10.0.0.0/", "/8", "fd00::/129", "10.0.0.0/8 "}) {
    EXPECT_FALSE(parse_cidr(bad)) << bad;
  }
}

TEST(syntax, parse_upstream_url) {
  auto plain = parse_upstream_url("http://127.0.0.1:9101");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->https);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 9101);
  EXPECT_EQ(plain->base_path, "");
  EXPECT_EQ(plain->text, "http://127.0.0.1:9101");

  auto tls = parse_upstream_url("https://Portal.Example.it/base/path/");
  ASSERT_TRUE(tls);
  EXPECT_TRUE(tls->https);
  EXPECT_EQ(tls->host, "portal.example.it");
  EXPECT_EQ(tls->port, 443);
  EXPECT_EQ(tls->base_path, "/base/path");

  auto v6 = parse_upstream_url("http://[::1]:8080/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);

  EXPECT_EQ(parse_upstream_url("http://example.it")->port, 80);

  for (const char* bad : {"htp://x", "ftp://x", "http://", "http:///x", "x", "/relative",
                          "http://x?q=1", "http://x#f", "http://u:p@x", "http://x:0",
                          "http://x:70000", "http://x:abc", "http://x//a"}) {
    EXPECT_FALSE(parse_upstream_url(bad)) << bad;
  }
}

TEST(syntax, is_base_url) {
  EXPECT_TRUE(is_base_url("http://127.0.0.1:8080"));
  EXPECT_TRUE(is_base_url("https://area.example.it"));
  EXPECT_TRUE(is_base_url("https://example.it/area"));
  EXPECT_FALSE(is_base_url("https://area.example.it/"));
  EXPECT_FALSE(is_base_url("area.example.it"));
  EXPECT_FALSE(is_base_url("ftp://area.example.it"));
  EXPECT_FALSE(is_base_url("https://area.example.it?x=1"));
}

TEST(syntax, header_names) {
  EXPECT_TRUE(is_http_token("X-Varco-User"));
  EXPECT_FALSE(is_http_token("X Varco"));
  EXPECT_FALSE(is_http_token("X-Varco:"));
  EXPECT_FALSE(is_http_token(""));
  for (const char* reserved :
       {"connection", "Keep-Alive", "TE", "Trailer", "transfer-encoding", "Upgrade", "HOST",
        "Cookie", "Content-Length", "Proxy-Authorization"}) {
    EXPECT_TRUE(is_reserved_header(reserved)) << reserved;
  }
  EXPECT_FALSE(is_reserved_header("Authorization"));
  EXPECT_TRUE(in_header_namespace("x_varco_user", "X-Varco-"));
  EXPECT_TRUE(in_header_namespace("X-VARCO-User", "X-Varco-"));
  EXPECT_FALSE(in_header_namespace("X-Other", "X-Varco-"));
  EXPECT_FALSE(in_header_namespace("X-Varc", "X-Varco-"));
}

TEST(syntax, path_prefixes_and_hosts) {
  EXPECT_FALSE(path_prefix_problem("/pagopa"));
  EXPECT_FALSE(path_prefix_problem("/a/b-c/d.e"));
  EXPECT_EQ(path_prefix_problem("pagopa"), "must start with '/'");
  EXPECT_EQ(path_prefix_problem("/pagopa/"), "must not end with '/'");
  EXPECT_EQ(path_prefix_problem("/a//b"), "must not contain \"//\"");
  EXPECT_EQ(path_prefix_problem("/a/../b"), "must not contain \".\" or \"..\" segments");
  EXPECT_EQ(path_prefix_problem("/a/."), "must not contain \".\" or \"..\" segments");
  EXPECT_TRUE(path_prefix_problem("/a?b"));
  EXPECT_TRUE(path_prefix_problem("/a%2e"));
  EXPECT_TRUE(path_prefix_problem("/"));
  EXPECT_FALSE(host_problem("pagopa.area.example.it"));
  EXPECT_EQ(host_problem("pagopa.example.it:443"), "must be a host name without a port");
  EXPECT_TRUE(host_problem("bad_host"));
  EXPECT_TRUE(host_problem("a..b"));
}

}  // namespace
}  // namespace varco::conf
