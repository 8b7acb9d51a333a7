// Connection floods: thousands of idle keep-alive connections, and more connections than
// server.limits.max_connections allows. varco holds one descriptor per connection and no more,
// its memory per idle connection is small and bounded, the idle ones are reaped by
// timeouts.idle_keep_alive, and at the cap an idle connection makes room for a new client: only
// when every connection is inside a request is a new one refused.
#include "tests/faults/network_harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace varco::network_faults {
namespace {

constexpr long fd_slack = 4;  // as in upstream_faults_test.cpp
const std::string healthz = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";

// Opens `count` connections, each asking one keep-alive request and reading its answer, then
// left idle. `answered` counts the 200s; the others were closed by varco without an answer.
std::vector<raw_connection> open_idle(const fault_gateway& gw, std::size_t count,
                                      std::size_t& answered) {
  std::vector<raw_connection> connections;
  connections.reserve(count);
  answered = 0;
  for (std::size_t i = 0; i < count; ++i) {
    connections.emplace_back(gw.port());
    connections.back().send(healthz);
    if (connections.back().read_response(5s).rfind("HTTP/1.1 200", 0) == 0) ++answered;
  }
  return connections;
}

std::size_t still_open(std::vector<raw_connection>& connections) {
  std::size_t open = 0;
  for (auto& connection : connections)
    if (!connection.closed_by_peer()) ++open;
  return open;
}

TEST(client_flood, thousands_of_idle_keep_alive_connections_are_bounded_and_reaped) {
  const std::size_t idle = scaled<std::size_t>(2000, 8000);
  // This process holds one socket per idle connection, and varco (started below, inheriting the
  // limit) one more per connection on its side.
  raise_fd_limit(static_cast<long>(idle) + 1024);
  fault_gateway_options options;
  options.idle_keep_alive = scaled<std::string>("5s", "15s");
  options.max_connections = idle + 64;  // room for all of them and a healthy client
  fault_gateway gw(options);
  ASSERT_GE(fd_limit(gw.pid()), static_cast<long>(idle) + 256)
      << "varco cannot hold the connections this test opens (RLIMIT_NOFILE)";

  ASSERT_EQ(gw.healthy_status(), 200u);
  const usage baseline = usage_of(gw.pid());

  std::size_t answered = 0;
  auto connections = open_idle(gw, idle, answered);
  const usage loaded = usage_of(gw.pid());
  const std::size_t open_when_measured = still_open(connections);
  EXPECT_EQ(answered, idle);
  // One descriptor per client connection, nothing else per connection (no upstream connection,
  // no timer fd).
  EXPECT_LE(loaded.fds, baseline.fds + static_cast<long>(idle) + fd_slack);
  const long per_connection_bytes =
      (loaded.rss_kib - baseline.rss_kib) * 1024 / static_cast<long>(idle);
  std::printf(
      "[idle flood] %zu connections (%zu still open at the reading): %s, %ld bytes of RSS "
      "per connection\n",
      idle, open_when_measured, describe(baseline, loaded).c_str(), per_connection_bytes);
  // An idle connection holds its coroutine frame, its 4 KiB first read buffer, a registry entry
  // and the socket's kernel state (not counted in RSS): 32 KiB each is a generous ceiling that a
  // buffer grown to the 16 KiB header limit per connection, or anything per-request retained,
  // would exceed.
  if (rss_is_meaningful) {
    EXPECT_LT(per_connection_bytes, 32 * 1024);
  }

  // With thousands of idle connections open, a healthy client is served at once.
  for (int i = 0; i < 10; ++i) ASSERT_EQ(gw.healthy_status(), 200u);

  // idle_keep_alive reaps every one of them: the client sees the close.
  EXPECT_TRUE(test::eventually([&] { return still_open(connections) == 0; }, 60s, 100ms))
      << still_open(connections) << " idle connections were never closed";
  connections.clear();
  EXPECT_TRUE(gw.alive());
  // Memory stays at the working size it reached (the allocator keeps freed pages for reuse), so
  // it is held to the per-connection ceiling above; descriptors must come back, and a second
  // flood must not grow RSS again (that is where a leak per connection would show).
  const long flood_rss_kib = 32 * static_cast<long>(idle);
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, flood_rss_kib, "idle flood, after reaping");
  const usage after_first = usage_of(gw.pid());
  auto again = open_idle(gw, idle, answered);
  EXPECT_EQ(answered, idle);
  again.clear();
  const usage after_second = usage_of(gw.pid());
  std::printf("[idle flood] second flood: %s\n", describe(after_first, after_second).c_str());
  if (rss_is_meaningful) {
    EXPECT_LT(after_second.rss_kib - after_first.rss_kib, 8 * 1024);
  }
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, flood_rss_kib, "idle flood, second round");
}

TEST(client_flood, idle_connections_over_max_connections_make_room_for_new_clients) {
  const std::size_t cap = scaled<std::size_t>(100, 1000);
  const std::size_t attempts = cap * 3;
  raise_fd_limit(static_cast<long>(attempts) + 1024);
  fault_gateway_options options;
  options.max_connections = cap;  // idle_keep_alive stays 60 s: nothing is reaped meanwhile
  fault_gateway gw(options);

  ASSERT_EQ(gw.healthy_status(), 200u);
  const usage baseline = usage_of(gw.pid());
  // The healthy client's connection is closed by now on both sides, so the cap is all ours.
  ASSERT_LE(fds_settle_to(gw.pid(), baseline.fds), baseline.fds);

  std::size_t answered = 0;
  auto connections = open_idle(gw, attempts, answered);
  // Every client was served: each one over the cap closed the connection idle the longest.
  EXPECT_EQ(answered, attempts);
  EXPECT_TRUE(test::eventually([&] { return still_open(connections) <= cap; }, 10s, 50ms))
      << still_open(connections) << " of " << attempts << " open with max_connections " << cap;
  const long fds_full = open_fds(gw.pid());
  std::printf("[max_connections] cap %zu, %zu idle clients: %zu answered, varco fds %ld -> %ld\n",
              cap, attempts, answered, baseline.fds, fds_full);
  EXPECT_LE(fds_full, baseline.fds + static_cast<long>(cap) + fd_slack);
  // The oldest went first; the newest is still open.
  EXPECT_TRUE(connections.front().closed_by_peer());
  EXPECT_FALSE(connections.back().closed_by_peer());

  // A healthy client is served at once, not after idle_keep_alive, and the room made is counted.
  for (int i = 0; i < 10; ++i) ASSERT_EQ(gw.healthy_status(), 200u);
  const auto metrics = test::http_get(gw.port(), "/metrics");
  EXPECT_EQ(metrics.body.find("varco_idle_connections_reclaimed_total 0\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("varco_idle_connections_reclaimed_total "), std::string::npos);
  connections.clear();
  EXPECT_TRUE(gw.alive());
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, 6 * 1024 + 32 * static_cast<long>(cap),
                          "max_connections");  // the pages the capped flood used stay for reuse
}

TEST(client_flood, when_every_connection_is_inside_a_request_new_ones_are_refused) {
  const std::size_t cap = scaled<std::size_t>(40, 400);
  raise_fd_limit(static_cast<long>(cap) * 2 + 1024);
  fault_gateway_options options;
  options.max_connections = cap;
  options.response_timeout = "60s";  // the held requests stay held until the upstream lets go
  fault_gateway gw(options);

  ASSERT_EQ(gw.healthy_status(), 200u);
  const usage baseline = usage_of(gw.pid());
  ASSERT_LE(fds_settle_to(gw.pid(), baseline.fds), baseline.fds);

  gw.faulty.mode = fault_upstream::behaviour::hang;
  std::vector<raw_connection> held;
  held.reserve(cap);
  for (std::size_t i = 0; i < cap; ++i) {
    held.emplace_back(gw.port());
    ASSERT_TRUE(held.back().send(gw.raw_get("/fault/held" + std::to_string(i))));
  }
  // Once the upstream holds every request, every connection of varco is inside one.
  ASSERT_TRUE(test::eventually([&] { return gw.faulty.held() == cap; }, 20s, 20ms))
      << gw.faulty.held() << " of " << cap << " requests reached the upstream";

  // Full of requests: a new client is closed unanswered, and no held request is cut for it.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(gw.healthy_status(), 0u);
  EXPECT_EQ(gw.faulty.held(), cap);
  for (auto& connection : held) EXPECT_FALSE(connection.closed_by_peer());

  // The upstream goes away: every held request gets its 5xx, and there is room again.
  gw.faulty.stop();
  for (auto& connection : held)
    EXPECT_EQ(connection.read_response(10s).rfind("HTTP/1.1 50", 0), 0u);
  held.clear();
  EXPECT_TRUE(test::eventually([&] { return gw.healthy_status() == 200; }, 10s, 50ms));
  const auto metrics = test::http_get(gw.port(), "/metrics");
  EXPECT_NE(metrics.body.find("reason=\"too_many_connections\""), std::string::npos);
  EXPECT_TRUE(gw.alive());
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, 6 * 1024 + 32 * static_cast<long>(cap),
                          "max_connections, all busy");
}

}  // namespace
}  // namespace varco::network_faults
