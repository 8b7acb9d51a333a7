// Upstream faults under load: the product's upstream dies, hangs, dribbles its header or resets
// mid-body. Users get a 502/504 naming the product (or, once a response has started, a closed
// connection), healthy routes keep being served meanwhile, and varco's descriptors and memory
// come back to where they were.
#include "tests/faults/network_harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace varco::network_faults {
namespace {

using verb = boost::beast::http::verb;

// A few descriptors of slack: the two workers' upstream pools may each keep one more idle
// keep-alive connection than at the baseline (to either upstream), and a connection the client
// already closed may still be on its way out when the count settles.
constexpr long fd_slack = 4;
// RSS growth allowed across a whole phase, after a warm-up round of the same fault has already
// sized the allocator's arenas, the log buffers and the pools. A per-request leak of even 100 bytes
// over the long form's thousands of requests, or one retained 16 KiB buffer per failed exchange,
// crosses it; allocator noise between two equal rounds stays far below.
constexpr long rss_growth_kib = 6 * 1024;

test::http_response get(const fault_gateway& gw, const std::string& target,
                        const std::string& accept = "application/json") {
  return test::http_get(gw.port(), target, gw.session({{"Accept", accept}}));
}

TEST(upstream_faults, a_killed_upstream_gives_502_and_the_pool_recovers_when_it_returns) {
  fault_gateway gw;
  const int rounds = scaled(3, 20);
  const int requests_per_phase = scaled(15, 150);

  auto one_round = [&](int round) {
    gw.faulty.stop();  // nothing listens on the port any more
    for (int i = 0; i < requests_per_phase; ++i) {
      const auto down = get(gw, "/fault/x" + std::to_string(i));
      ASSERT_EQ(down.status, 502u) << "round " << round << ": " << down.body;
      EXPECT_EQ(json_field(down.body, "error"), "upstream_unavailable");
      EXPECT_EQ(json_field(down.body, "product"), "prod-guasto");
      EXPECT_EQ(json_field(down.body, "environment"), "collaudo");
      ASSERT_EQ(gw.healthy_status(), 200u) << "healthy route while the other upstream is down";
    }
    const auto page = get(gw, "/fault/page", "text/html");
    EXPECT_EQ(page.status, 502u);
    EXPECT_NE(page.body.find("Portale Guasto"), std::string::npos) << page.body;

    gw.faulty.start();  // same port: varco is not restarted and not reconfigured
    ASSERT_TRUE(test::eventually([&] { return get(gw, "/fault/back").status == 200; }, 10s))
        << "round " << round << ": the upstream is back but varco still fails";
    for (int i = 0; i < requests_per_phase; ++i) {
      const auto back = get(gw, "/fault/again");
      ASSERT_EQ(back.status, 200u) << back.body;
      EXPECT_EQ(json_field(back.body, "fault_upstream"), "ok");
    }
  };

  ASSERT_EQ(get(gw, "/fault/warm").status, 200u);
  one_round(0);  // warm-up: pools, arenas and log buffers at their working size
  const usage baseline = usage_of(gw.pid());
  for (int round = 1; round <= rounds && !HasFatalFailure(); ++round) one_round(round);

  EXPECT_TRUE(gw.log_reaches("\"reason\":\"upstream_unavailable\"",
                             static_cast<std::size_t>((rounds + 1) * requests_per_phase)))
      << gw.log_count("\"reason\":\"upstream_unavailable\"");
  EXPECT_TRUE(gw.alive());
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, rss_growth_kib, "upstream killed");
}

TEST(upstream_faults, a_hung_upstream_gives_504_after_the_response_timeout_and_blocks_nobody) {
  fault_gateway_options options;
  options.response_timeout = "2s";
  fault_gateway gw(options);
  const std::size_t hung = scaled<std::size_t>(8, 64);

  ASSERT_EQ(get(gw, "/fault/warm").status, 200u);
  const usage baseline = usage_of(gw.pid());
  gw.faulty.mode = fault_upstream::behaviour::hang;

  struct outcome {
    unsigned status = 0;
    std::string error;
    std::chrono::milliseconds took{0};
  };
  std::vector<outcome> outcomes(hung);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < hung; ++i) {
    clients.emplace_back([&, i] {
      const auto started = std::chrono::steady_clock::now();
      try {
        const auto answer = get(gw, "/fault/hang" + std::to_string(i));
        outcomes[i].status = answer.status;
        outcomes[i].error = json_field(answer.body, "error");
      } catch (const std::exception& e) {
        outcomes[i].error = e.what();
      }
      outcomes[i].took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
    });
  }

  // Every hung request has reached the upstream and is held there: both workers now wait on it.
  const bool all_held = test::eventually([&] { return gw.faulty.held() == hung; }, 15s);
  EXPECT_TRUE(all_held) << gw.faulty.held() << " of " << hung << " held";
  // Meanwhile the other product and the gateway's own endpoints are served: no worker is stuck.
  // A healthy answer that arrives while the upstream still holds every hung request was served
  // during the hang, whatever the machine's speed.
  std::size_t served_during_hang = 0;
  for (int i = 0; i < scaled(20, 200); ++i) {
    ASSERT_EQ(gw.healthy_status(), 200u);
    ASSERT_EQ(test::http_get(gw.port(), "/healthz").status, 200u);
    if (gw.faulty.held() == hung) ++served_during_hang;
  }
  EXPECT_GE(served_during_hang, 1u);

  for (auto& client : clients) client.join();
  for (std::size_t i = 0; i < hung; ++i) {
    EXPECT_EQ(outcomes[i].status, 504u) << "request " << i << ": " << outcomes[i].error;
    EXPECT_EQ(outcomes[i].error, "upstream_timeout");
    EXPECT_GE(outcomes[i].took, 2s) << "a 504 before the response timeout passed";
  }
  // varco gave up on every upstream connection it had opened for them.
  EXPECT_TRUE(test::eventually([&] { return gw.faulty.held() == 0; }, 10s)) << gw.faulty.held();
  EXPECT_TRUE(gw.log_reaches("\"reason\":\"upstream_timeout\"", hung))
      << gw.log_count("\"reason\":\"upstream_timeout\"");

  gw.faulty.mode = fault_upstream::behaviour::answer;
  EXPECT_EQ(get(gw, "/fault/after").status, 200u);
  EXPECT_TRUE(gw.alive());
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, rss_growth_kib, "upstream hung");
}

TEST(upstream_faults, an_upstream_dribbling_its_header_past_the_response_timeout_gives_504) {
  // 1 s for the whole response header; the upstream sends one byte every 40 ms, so each read
  // completes quickly but the header (~100 bytes) takes about four seconds.
  fault_gateway_options options;
  options.response_timeout = "1s";
  fault_gateway gw(options);
  ASSERT_EQ(get(gw, "/fault/warm").status, 200u);
  const usage baseline = usage_of(gw.pid());
  gw.faulty.mode = fault_upstream::behaviour::dribble_head;
  gw.faulty.dribble_gap_ms = 40;

  const std::size_t concurrent = scaled<std::size_t>(3, 24);
  std::vector<unsigned> statuses(concurrent);
  std::vector<std::string> errors(concurrent);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < concurrent; ++i) {
    clients.emplace_back([&, i] {
      try {
        const auto answer = get(gw, "/fault/dribble");
        statuses[i] = answer.status;
        errors[i] = json_field(answer.body, "error");
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (int i = 0; i < scaled(10, 100); ++i) ASSERT_EQ(gw.healthy_status(), 200u);
  for (auto& client : clients) client.join();
  for (std::size_t i = 0; i < concurrent; ++i) {
    EXPECT_EQ(statuses[i], 504u) << errors[i];
    EXPECT_EQ(errors[i], "upstream_timeout");
  }

  gw.faulty.mode = fault_upstream::behaviour::answer;
  EXPECT_EQ(get(gw, "/fault/after").status, 200u);
  EXPECT_TRUE(gw.alive());
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, rss_growth_kib, "upstream dribbling");
}

TEST(upstream_faults, an_upstream_reset_mid_body_truncates_that_response_only) {
  fault_gateway gw;
  ASSERT_EQ(get(gw, "/fault/warm").status, 200u);
  gw.faulty.mode = fault_upstream::behaviour::reset_mid_body;

  // A large body (streamed): the 200 head is already with the client when the upstream resets,
  // so the client sees a body shorter than announced and the connection closed — never a hang.
  constexpr std::size_t announced = 1u << 20;
  gw.faulty.announced_body_bytes = announced;
  gw.faulty.sent_body_bytes = 96u << 10;
  auto truncated_once = [&](int i) {
    raw_connection client(gw.port());
    ASSERT_TRUE(client.send(gw.raw_get("/fault/big" + std::to_string(i))));
    const std::string answer = client.read_until_closed(15s);
    ASSERT_TRUE(client.closed_by_peer()) << "varco neither finished nor closed the response";
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer.substr(0, 200);
    const auto head_end = answer.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos);
    EXPECT_NE(answer.find("Content-Length: " + std::to_string(announced)), std::string::npos);
    EXPECT_LT(answer.size() - head_end - 4, announced);
    ASSERT_EQ(gw.healthy_status(), 200u);
  };
  truncated_once(0);  // warm-up
  const usage baseline = usage_of(gw.pid());
  const int rounds = scaled(10, 200);
  for (int i = 1; i <= rounds && !HasFatalFailure(); ++i) truncated_once(i);
  EXPECT_TRUE(
      gw.log_reaches("\"reason\":\"upstream_aborted\"", static_cast<std::size_t>(rounds + 1)))
      << gw.log_count("\"reason\":\"upstream_aborted\"");

  // A small body (read whole before answering): nothing has gone to the client yet, so it gets a
  // proper 502 rather than a truncated 200.
  gw.faulty.announced_body_bytes = 20000;
  gw.faulty.sent_body_bytes = 5000;
  for (int i = 0; i < scaled(5, 50); ++i) {
    const auto answer = get(gw, "/fault/small");
    EXPECT_EQ(answer.status, 502u) << answer.body;
    EXPECT_EQ(json_field(answer.body, "error"), "upstream_unavailable");
  }

  gw.faulty.mode = fault_upstream::behaviour::answer;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(gw, "/fault/after").status, 200u);
  EXPECT_TRUE(gw.alive());
  expect_back_to_baseline(gw.pid(), baseline, fd_slack, rss_growth_kib, "upstream reset mid-body");
}

}  // namespace
}  // namespace varco::network_faults
