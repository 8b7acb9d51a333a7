// Signals under load. SIGHUP, sent several times while clients keep sending requests, reloads the
// config without failing a single request and the new config takes effect. SIGTERM lets the
// requests in flight finish (the upstream holds them until the test releases them), refuses new
// connections from the moment the drain starts, and exits 0 within server.timeouts.drain.
#include "tests/faults/store_load.hpp"
#include "tests/faults/store_stack.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <iostream>

namespace varco::faults {
namespace {

bool identity_reached_upstream(const http_response& r) {
  return r.status == 200 && echoed_header(r, "X-Varco-User-Fiscal-Number") == mario_cf;
}

std::string generation(std::uint16_t port) {
  const auto body = http_get(port, "/readyz").body;
  const auto at = body.find("\"config_generation\":");
  return at == std::string::npos ? std::string()
                                 : body.substr(at + 20, body.find(',', at) - at - 20);
}

TEST(signals, sighup_repeated_under_load_fails_no_request_and_the_new_config_applies) {
  stack_settings settings;
  settings.saml = false;
  store_stack stack(settings);
  const auto port = stack.varco->port();
  ASSERT_TRUE(store_stack::store_up_everywhere(port));
  const auto cookie = stack.create_session();
  ASSERT_EQ(http_get(port, "/extra/x", api_cookie(cookie)).status, 404u);  // no such route yet
  ASSERT_EQ(generation(port), "1");

  std::atomic<int> phase{0};
  client_load load(
      port, load_threads(),
      [&](unsigned thread, std::uint64_t) -> planned_request {
        if (thread % 2 == 0)
          return {"proxied", "/pagopa-collaudo/x", api_cookie(cookie), identity_reached_upstream};
        return {"health", "/healthz", {}, [](const http_response& r) { return r.status == 200; }};
      },
      phase);
  ASSERT_TRUE(eventually([&] { return load.answered() > 50; }, std::chrono::seconds(60)));

  // Five reloads, each a different harmless change: a product added, its title changed.
  constexpr int reloads = 5;
  for (int i = 1; i <= reloads; ++i) {
    stack.settings.extra_products = "  - id: prod-extra\n    title: Extra " + std::to_string(i) +
                                    "\n    path_prefix: /extra\n    required_party_roles: "
                                    "[MANAGER]\n    environments:\n      - {id: collaudo, "
                                    "upstreams: [" +
                                    stack.portal.url() + "]}\n";
    write_file(stack.varco->config_path(),
               stack.config_yaml(port, (stack.files / "audit-1").string()));
    const auto before = load.answered();
    stack.varco->signal(SIGHUP);
    EXPECT_TRUE(eventually([&] { return generation(port) == std::to_string(i + 1); },
                           std::chrono::seconds(30), std::chrono::milliseconds(20)))
        << stack.varco->output();
    // Requests kept flowing across the reload.
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(eventually(
        [&] {
          return load.answered() > before + 50 &&
                 std::chrono::steady_clock::now() - started > load_phase() / reloads;
        },
        std::chrono::seconds(60), std::chrono::milliseconds(20)));
  }
  load.stop();
  std::cout << "[ outcomes ]\n" << load.report();

  for (const auto& label : {"proxied", "health"}) {
    const auto counts = load.total(label);
    EXPECT_GT(counts.count(200), 0u) << label;
    EXPECT_EQ(counts.count(200), counts.answered()) << label << "\n" << load.report();
    EXPECT_EQ(counts.invalid, 0u) << label << "\n" << load.report();
    EXPECT_EQ(counts.broken, 0u) << label << "\n" << load.report();
    EXPECT_EQ(counts.refused, 0u) << label << "\n" << load.report();
  }
  // The new route exists: where there was no route (404), the product now asks for its
  // environment to be chosen (the session predates the product).
  const auto extra = http_get(port, "/extra/x", api_cookie(cookie));
  EXPECT_EQ(extra.status, 409u) << extra.body;
  EXPECT_EQ(json_field(extra.body, "error"), "environment_not_chosen");
  EXPECT_EQ(json_field(extra.body, "product"), "prod-extra");
  EXPECT_TRUE(stack.varco->running());
  EXPECT_EQ(stack.varco->output().find("reason=config_invalid"), std::string::npos);
}

TEST(signals, sigterm_under_load_finishes_in_flight_requests_and_exits_0_within_the_drain) {
  stack_settings settings;
  settings.saml = false;
  settings.drain = "20s";
  store_stack stack(settings);
  const auto port = stack.varco->port();
  ASSERT_TRUE(store_stack::store_up_everywhere(port));
  const auto cookie = stack.create_session();

  std::atomic<int> phase{0};
  client_load load(
      port, load_threads(),
      [&](unsigned, std::uint64_t) -> planned_request {
        return {"proxied", "/pagopa-collaudo/x", api_cookie(cookie), identity_reached_upstream};
      },
      phase);

  // Requests in flight: each on its own connection, held by the upstream until released.
  constexpr std::size_t held = 4;
  std::vector<std::future<http_response>> in_flight;
  for (std::size_t i = 0; i < held; ++i)
    in_flight.push_back(std::async(
        std::launch::async, [&] { return http_get(port, "/slow/held", api_cookie(cookie)); }));
  ASSERT_TRUE(eventually([&] { return stack.slow.requests() == held; }, std::chrono::seconds(30)));
  const auto before = load.answered();
  const auto loading_since = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually(
      [&] {
        return load.answered() > before + 50 &&
               std::chrono::steady_clock::now() - loading_since >= load_phase();
      },
      load_phase() + std::chrono::seconds(60), std::chrono::milliseconds(20)));

  phase = 1;
  const auto signalled = std::chrono::steady_clock::now();
  stack.varco->signal(SIGTERM);
  // New connections are refused once the drain has started, while the held requests still wait.
  EXPECT_TRUE(eventually(
      [&] {
        try {
          http_client probe(port);
          return false;
        } catch (const std::exception&) {
          return true;
        }
      },
      std::chrono::seconds(15), std::chrono::milliseconds(10)));
  for (auto& request : in_flight)
    EXPECT_EQ(request.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  EXPECT_TRUE(stack.varco->running());  // draining, not gone

  stack.slow.release();
  for (auto& request : in_flight) {
    const auto answer = request.get();
    EXPECT_EQ(answer.status, 200u);
    EXPECT_EQ(answer.body, "held and released\n");
  }
  EXPECT_EQ(stack.varco->wait_exit(std::chrono::seconds(30)), 0) << stack.varco->output();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(20));  // drain
  load.stop();
  std::cout << "[ outcomes ]\n" << load.report();

  // Before the signal every request succeeded. After it, every request that got an answer got a
  // 200; new connections were refused (what a drained server does). A keep-alive connection the
  // server closes as it drains may end under a request the client had just sent: the usual
  // keep-alive race, which clients retry; counted, not failed.
  const auto& outcomes = load.outcomes();
  const auto before_signal = outcomes.find({"proxied", 0});
  ASSERT_NE(before_signal, outcomes.end());
  EXPECT_EQ(before_signal->second.count(200), before_signal->second.answered()) << load.report();
  EXPECT_EQ(before_signal->second.broken + before_signal->second.refused, 0u) << load.report();
  const auto after_signal = outcomes.find({"proxied", 1});
  ASSERT_NE(after_signal, outcomes.end());
  EXPECT_GT(after_signal->second.refused, 0u) << load.report();
  for (const auto& [key, counts] : outcomes)
    EXPECT_EQ(counts.count(200), counts.answered()) << "phase " << key.second << "\n"
                                                    << load.report();
  EXPECT_EQ(load.total("proxied").invalid, 0u) << load.report();
}

}  // namespace
}  // namespace varco::faults
