// client_address(): the one answer to "who is the client" for the access log, the SAML audit
// records and the rate limits.
#include "gateway/http/forwarded.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace varco::gateway {
namespace {

namespace ip = boost::asio::ip;

struct client_case {
  const char* what;
  const char* x_forwarded_for;
  const char* peer;
  const char* expected;
};

// 10.0.0.0/8 and fd00::/8 are the balancers; everything else is the internet.
const std::vector<conf::cidr>& proxies() {
  static const std::vector<conf::cidr> nets{ip::make_network_v4("10.0.0.0/8"),
                                            ip::make_network_v6("fd00::/8")};
  return nets;
}

const client_case cases[] = {
    {"no X-Forwarded-For from a trusted proxy: the proxy itself", "", "10.0.0.5", "10.0.0.5"},
    {"no X-Forwarded-For from a client", "", "203.0.113.9", "203.0.113.9"},
    {"X-Forwarded-For from an untrusted peer is ignored", "1.2.3.4", "203.0.113.9", "203.0.113.9"},
    {"one trusted proxy", "1.2.3.4", "10.0.0.5", "1.2.3.4"},
    {"a chain of trusted proxies, walked from the right", "1.2.3.4, 10.1.1.1, 10.2.2.2", "10.0.0.5",
     "1.2.3.4"},
    {"what the client wrote left of its own address is ignored", "6.6.6.6, 1.2.3.4, 10.1.1.1",
     "10.0.0.5", "1.2.3.4"},
    {"spaces and tabs around items", " 1.2.3.4 ,\t10.1.1.1 ", "10.0.0.5", "1.2.3.4"},
    {"garbage right after the peer: the peer", "1.2.3.4, garbage", "10.0.0.5", "10.0.0.5"},
    {"garbage further on: the last trusted hop", "1.2.3.4, garbage, 10.1.1.1", "10.0.0.5",
     "10.1.1.1"},
    {"\"unknown\" is garbage too", "unknown", "10.0.0.5", "10.0.0.5"},
    {"an address with a port is not an address", "1.2.3.4:5678", "10.0.0.5", "10.0.0.5"},
    {"an empty item ends the walk", "1.2.3.4,,10.1.1.1", "10.0.0.5", "10.1.1.1"},
    {"every hop trusted: the furthest one", "10.3.3.3, 10.1.1.1", "10.0.0.5", "10.3.3.3"},
    {"IPv6 client through an IPv6 proxy", "2001:db8::7", "fd00::1", "2001:db8::7"},
    {"IPv6 client through an IPv4 proxy", "2001:db8::7, 10.1.1.1", "10.0.0.5", "2001:db8::7"},
    {"IPv6 chain of trusted proxies", "2001:db8::7, fd00::2", "fd00::1", "2001:db8::7"},
    {"IPv6 peer not trusted", "1.2.3.4", "2001:db8::9", "2001:db8::9"},
    {"an IPv4-mapped client is answered as IPv4", "::ffff:1.2.3.4", "10.0.0.5", "1.2.3.4"},
    {"an IPv4-mapped proxy hop is trusted as IPv4", "1.2.3.4, ::ffff:10.1.1.1", "10.0.0.5",
     "1.2.3.4"},
};

TEST(client_address, first_untrusted_hop) {
  for (const auto& c : cases) {
    const auto peer = ip::make_address(c.peer);
    EXPECT_EQ(client_address(c.x_forwarded_for, peer, c.peer, proxies()), c.expected) << c.what;
  }
}

TEST(client_address, without_trusted_proxies_always_the_peer) {
  const auto peer = ip::make_address("10.0.0.5");
  EXPECT_EQ(client_address("1.2.3.4", peer, "10.0.0.5", {}), "10.0.0.5");
}

}  // namespace
}  // namespace varco::gateway
