#include "gateway/http/forwarded.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

namespace ip = boost::asio::ip;

std::vector<conf::cidr> trusted() {
  return {ip::make_network_v4("10.0.0.0/8"), ip::make_network_v4("192.168.1.7/32"),
          ip::make_network_v6("fd00::/8")};
}

TEST(is_trusted, matches_v4_v6_and_v4_mapped) {
  const auto t = trusted();
  EXPECT_TRUE(is_trusted(ip::make_address("10.1.2.3"), t));
  EXPECT_TRUE(is_trusted(ip::make_address("192.168.1.7"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("192.168.1.8"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("11.0.0.1"), t));
  EXPECT_TRUE(is_trusted(ip::make_address("::ffff:10.9.9.9"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("::ffff:11.9.9.9"), t));
  EXPECT_TRUE(is_trusted(ip::make_address("fd12:3456::1"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("fe80::1"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("::1"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("10.0.0.1"), {}));
}

TEST(is_trusted, odd_prefix_lengths) {
  const std::vector<conf::cidr> t{ip::make_network_v6("2001:db8:8000::/33"),
                                  ip::make_network_v4("0.0.0.0/0")};
  EXPECT_TRUE(is_trusted(ip::make_address("2001:db8:8000::1"), t));
  EXPECT_FALSE(is_trusted(ip::make_address("2001:db8:7fff::1"), t));
  EXPECT_TRUE(is_trusted(ip::make_address("8.8.8.8"), t));
}

TEST(compute_forwarded, untrusted_peer_replaces_everything) {
  const auto t = trusted();
  const auto out =
      compute_forwarded(ip::make_address("203.0.113.5"), t, {"1.2.3.4", "https", "evil.example"},
                        "http", "area.example.it");
  EXPECT_EQ(out.x_forwarded_for, "203.0.113.5");
  EXPECT_EQ(out.x_forwarded_proto, "http");
  EXPECT_EQ(out.x_forwarded_host, "area.example.it");
}

TEST(compute_forwarded, trusted_peer_appends_and_keeps) {
  const auto t = trusted();
  auto out = compute_forwarded(ip::make_address("::ffff:10.0.0.2"), t,
                               {" 198.51.100.1, 10.0.0.9 ", "https", "area.example.it"}, "http",
                               "internal:8080");
  EXPECT_EQ(out.x_forwarded_for, "198.51.100.1, 10.0.0.9, 10.0.0.2");
  EXPECT_EQ(out.x_forwarded_proto, "https");
  EXPECT_EQ(out.x_forwarded_host, "area.example.it");

  out = compute_forwarded(ip::make_address("10.0.0.2"), t, {}, "https", "h");
  EXPECT_EQ(out.x_forwarded_for, "10.0.0.2");
  EXPECT_EQ(out.x_forwarded_proto, "https");
  EXPECT_EQ(out.x_forwarded_host, "h");

  out = compute_forwarded(ip::make_address("fd00::1"), t, {"", "javascript", ""}, "http", "h");
  EXPECT_EQ(out.x_forwarded_for, "fd00::1");
  EXPECT_EQ(out.x_forwarded_proto, "http") << "only http/https are kept";
}

}  // namespace
}  // namespace varco::gateway
