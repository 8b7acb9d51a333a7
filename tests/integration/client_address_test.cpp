// The access log's `client` is the client behind the load balancer: X-Forwarded-For is believed
// from a trusted proxy only, walked from the right past every trusted hop.
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

// The `client` of the access record of `path`, or "" while there is none.
std::string client_logged_for(const varco_process& gateway, const std::string& path) {
  std::istringstream lines(gateway.output());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("\"logger\"") != std::string::npos) continue;  // application lines
    boost::system::error_code ec;
    const auto record = boost::json::parse(line, ec);
    if (ec || !record.is_object()) continue;
    const auto& fields = record.as_object();
    const auto* logged_path = fields.if_contains("path");
    const auto* client = fields.if_contains("client");
    if (logged_path && logged_path->is_string() && logged_path->as_string() == path && client &&
        client->is_string())
      return std::string(client->as_string());
  }
  return "";
}

// The stack's config with the test client's loopback range as the balancers.
std::string behind_a_balancer(const gateway_stack& stack) {
  std::string yaml = stack.config_yaml();
  const std::string anchor = "  plain_http: true\n";
  const auto at = yaml.find(anchor);
  EXPECT_NE(at, std::string::npos);
  yaml.insert(at + anchor.size(), "  trusted_proxies: [127.0.0.0/8]\n");
  return yaml;
}

TEST(client_address, the_access_log_names_the_client_a_trusted_proxy_forwarded) {
  gateway_stack stack;
  stack.gateway.reset();
  stack.gateway = stack.start_gateway_with(behind_a_balancer(stack), "varco");
  const auto port = stack.gateway->port();

  // One balancer (this test, on 127.0.0.1) in front of the client.
  EXPECT_EQ(http_get(port, "/pagopa/one-hop", as_api({{"X-Forwarded-For", "203.0.113.7"}})).status,
            401u);
  // A chain: the client wrote a fake address first, then two trusted hops forwarded it.
  EXPECT_EQ(http_get(port, "/pagopa/chain",
                     as_api({{"X-Forwarded-For", "198.51.100.66, 203.0.113.8, 127.0.0.9"}}))
                .status,
            401u);
  // An IPv6 client.
  EXPECT_EQ(http_get(port, "/pagopa/v6", as_api({{"X-Forwarded-For", "2001:db8::7"}})).status,
            401u);
  // Nothing forwarded: the balancer itself is the client.
  EXPECT_EQ(http_get(port, "/pagopa/direct", as_api()).status, 401u);

  std::string one_hop, chain, v6, direct;
  ASSERT_TRUE(eventually([&] {
    one_hop = client_logged_for(*stack.gateway, "/pagopa/one-hop");
    chain = client_logged_for(*stack.gateway, "/pagopa/chain");
    v6 = client_logged_for(*stack.gateway, "/pagopa/v6");
    direct = client_logged_for(*stack.gateway, "/pagopa/direct");
    return !one_hop.empty() && !chain.empty() && !v6.empty() && !direct.empty();
  })) << stack.gateway->output();
  EXPECT_EQ(one_hop, "203.0.113.7");
  EXPECT_EQ(chain, "203.0.113.8");
  EXPECT_EQ(v6, "2001:db8::7");
  EXPECT_EQ(direct, "127.0.0.1");
}

TEST(client_address, x_forwarded_for_from_an_untrusted_peer_is_not_believed) {
  gateway_stack stack;  // no trusted_proxies
  const auto port = stack.gateway->port();
  EXPECT_EQ(http_get(port, "/pagopa/spoofed", as_api({{"X-Forwarded-For", "203.0.113.7"}})).status,
            401u);
  std::string client;
  ASSERT_TRUE(eventually([&] {
    client = client_logged_for(*stack.gateway, "/pagopa/spoofed");
    return !client.empty();
  })) << stack.gateway->output();
  EXPECT_EQ(client, "127.0.0.1");
}

}  // namespace
}  // namespace varco::integration
