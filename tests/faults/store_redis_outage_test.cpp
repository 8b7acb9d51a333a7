// Redis killed (SIGKILL) and restarted while clients keep sending requests: what users see.
//
//   cached      a session this instance has cached (sessions.cache_ttl) keeps being served: 200
//               with the identity, throughout the outage;
//   forged_*    a cookie of the right shape that no session has needs the store to be refused:
//               401/302 while Redis is up, 503 with a readable page or JSON while it is down, and
//               never the upstream (the `trap` product receives nothing);
//   login       a login start stores the pending AuthnRequest: 302 to the IdP, or 503;
// never a 500, never a broken connection; /readyz red during the outage and green after it with
// the same varco process; every session written before the kill valid after the restart.
#include "tests/faults/store_load.hpp"
#include "tests/faults/store_stack.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <set>

namespace varco::faults {
namespace {

// Phases of the test, as counted by client_load.
enum phase : int { redis_up = 0, redis_killed = 1, redis_restarting = 2, redis_back = 3 };

std::string info_field(const std::string& info, const std::string& name) {
  const auto at = info.find(name + ":");
  if (at == std::string::npos) return {};
  const auto from = at + name.size() + 1;
  return info.substr(from, info.find_first_of("\r\n", from) - from);
}

// Runs the load at least `duration` and until every label got `minimum` answers in `phase_now`.
bool keep_loading(const client_load& load, const std::set<std::string>& labels,
                  std::chrono::milliseconds duration, std::uint64_t minimum = 20) {
  const auto started = std::chrono::steady_clock::now();
  std::map<std::string, std::uint64_t> before;
  for (const auto& label : labels) before[label] = load.answered(label);
  return eventually(
      [&] {
        if (std::chrono::steady_clock::now() - started < duration) return false;
        for (const auto& label : labels)
          if (load.answered(label) - before[label] < minimum) return false;
        return true;
      },
      duration + std::chrono::seconds(60), std::chrono::milliseconds(20));
}

bool is_json_503(const http_response& r) {
  return r.status != 503 || (json_field(r.body, "error") == "store_unavailable" &&
                             r.header("Content-Type").starts_with("application/json"));
}

// A readable 503 page in the page's language: Italian here (no ?lang=, no cookie), and only that.
bool is_page_503(const http_response& r) {
  return r.status != 503 || (r.header("Content-Type").starts_with("text/html") &&
                             r.body.find("<html lang=\"it\">") != std::string::npos &&
                             r.body.find("temporaneamente non disponibile") != std::string::npos &&
                             r.body.find("temporarily unavailable") == std::string::npos);
}

TEST(redis_outage, killed_and_restarted_under_load_cached_sessions_serve_the_rest_get_503) {
  temp_dir aof;
  stack_settings settings;
  settings.append_only_dir = aof.path().string();
  store_stack stack(settings);
  const auto port = stack.varco->port();
  const pid_t pid = stack.varco->pid();
  ASSERT_TRUE(store_stack::store_up_everywhere(port));
  ASSERT_EQ(http_get(port, "/readyz").status, 200u);

  // The session the load uses, cached by both workers (fresh connections land on either).
  const std::string cached = stack.create_session();
  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(http_get(port, "/pagopa-collaudo/x", api_cookie(cached)).status, 200u);
  // The trap product is reachable with a valid session: what keeps the forged cookies below
  // out of it is the session check alone.
  ASSERT_EQ(http_get(port, "/trap/x", api_cookie(cached)).status, 200u);
  const auto trap_requests_before = stack.trap.requests();

  // Sessions written before the kill, then made durable: Redis appends every write to its AOF
  // buffer before acknowledging it and writes that buffer to the file before its next event
  // loop, so once INFO reports the buffer empty the kernel holds them and a SIGKILL of the
  // process (not of the machine: that is what appendfsync everysec bounds) cannot lose them.
  std::vector<std::string> written;
  for (int i = 0; i < 20; ++i) written.push_back(stack.create_session());
  ASSERT_TRUE(eventually(
      [&] {
        const auto info = stack.redis->info("persistence");
        return info_field(info, "aof_enabled") == "1" &&
               info_field(info, "aof_rewrite_in_progress") == "0" &&
               info_field(info, "aof_buffer_length") == "0";
      },
      std::chrono::seconds(30), std::chrono::milliseconds(20)))
      << stack.redis->info("persistence");

  const std::string login_target = stack.login_start_target();
  std::atomic<int> phase{redis_up};
  const std::set<std::string> labels = {"cached", "forged_api", "forged_page", "login"};
  client_load load(
      port, load_threads(),
      [&](unsigned thread, std::uint64_t) -> planned_request {
        switch (thread % 4) {
          case 0:
            return {"cached", "/pagopa-collaudo/x", api_cookie(cached), [](const http_response& r) {
                      return r.status != 200 ||
                             echoed_header(r, "X-Varco-User-Fiscal-Number") == mario_cf;
                    }};
          case 1:
            return {"forged_api", "/trap/leak", api_cookie(unknown_session_id()), is_json_503};
          case 2:
            return {"forged_page", "/trap/leak", browser_cookie(unknown_session_id()), is_page_503};
          default:
            return {"login", login_target, {{"Accept", "text/html"}}, is_page_503};
        }
      },
      phase);

  ASSERT_TRUE(keep_loading(load, labels, load_phase()));

  stack.redis->kill();
  phase = redis_killed;
  EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 503; },
                         std::chrono::seconds(30)));
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);  // alive, only not ready
  EXPECT_TRUE(keep_loading(load, labels, load_phase()));
  EXPECT_EQ(::kill(pid, 0), 0);

  phase = redis_restarting;
  stack.redis->restart();
  EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 200; },
                         std::chrono::seconds(60), std::chrono::milliseconds(20)));
  EXPECT_TRUE(store_stack::store_up_everywhere(port, std::chrono::seconds(60)));
  phase = redis_back;
  EXPECT_TRUE(keep_loading(load, labels, load_phase()));
  load.stop();

  const std::string report = load.report();
  std::cout << "[ outcomes ]\n" << report;
  // Allowed answers per label and phase. The cached session may get 503 right after the restart
  // (phase 2): the revocation subscription, once back, drops every cached session (revocations
  // published during the outage were lost), and until this worker's own store connection is
  // back a lookup cannot be made. Everything else is exact.
  const std::map<std::pair<std::string, int>, std::set<unsigned>> allowed = {
      {{"cached", redis_up}, {200}},
      {{"cached", redis_killed}, {200}},
      {{"cached", redis_restarting}, {200, 503}},
      {{"cached", redis_back}, {200}},
      // Phase 0 ends when kill() has returned, so its last answers may already be 503.
      {{"forged_api", redis_up}, {401, 503}},
      {{"forged_api", redis_killed}, {503}},
      {{"forged_api", redis_restarting}, {401, 503}},
      {{"forged_api", redis_back}, {401}},
      {{"forged_page", redis_up}, {302, 503}},
      {{"forged_page", redis_killed}, {503}},
      {{"forged_page", redis_restarting}, {302, 503}},
      {{"forged_page", redis_back}, {302}},
      {{"login", redis_up}, {302, 503}},
      {{"login", redis_killed}, {503}},
      {{"login", redis_restarting}, {302, 503}},
      {{"login", redis_back}, {302}},
  };
  for (const auto& [key, counts] : load.outcomes()) {
    // Sent in one phase, answered in the next: either phase's answers.
    std::set<unsigned> expected;
    if (key.second >= straddling(0)) {
      const int arrived = key.second - straddling(0);
      expected = allowed.at({key.first, arrived});
      expected.merge(std::set<unsigned>(allowed.at({key.first, arrived - 1})));
    } else {
      expected = allowed.at(key);
    }
    for (const auto& [status, n] : counts.statuses)
      EXPECT_TRUE(expected.contains(status))
          << key.first << " phase " << key.second << ": " << n << " answers " << status << "\n"
          << counts.first_body.at(status) << "\n"
          << report;
    EXPECT_EQ(counts.broken, 0u) << key.first << " phase " << key.second << "\n" << report;
    EXPECT_EQ(counts.refused, 0u) << key.first << " phase " << key.second << "\n" << report;
    EXPECT_EQ(counts.invalid, 0u) << key.first << " phase " << key.second << "\n" << report;
  }
  // Each phase was really exercised: answers in every one, and the outage seen as 503s.
  for (const auto& label : labels)
    for (const int p : {redis_up, redis_killed, redis_back}) {
      const auto found = load.outcomes().find({label, p});
      ASSERT_NE(found, load.outcomes().end()) << label << " phase " << p << "\n" << report;
      EXPECT_GT(found->second.answered(), 0u) << label << " phase " << p;
    }
  for (const auto& label : {"forged_api", "forged_page", "login"})
    EXPECT_GT(load.outcomes().at({label, redis_killed}).count(503), 0u) << label;
  EXPECT_GT(load.outcomes().at({"cached", redis_killed}).count(200), 0u);

  // No request without a valid session reached an upstream.
  EXPECT_EQ(stack.trap.requests(), trap_requests_before);
  // Same process all along, never restarted.
  EXPECT_TRUE(stack.varco->running());
  EXPECT_EQ(stack.varco->pid(), pid);
  EXPECT_EQ(stack.varco->output().find("reason=internal_error"), std::string::npos);

  // Every session written before the kill came back with Redis and is served.
  for (const auto& id : written) {
    EXPECT_TRUE(test::session_exists(stack.redis->port(), id));
    const auto answer = http_get(port, "/pagopa-collaudo/x", api_cookie(id));
    EXPECT_EQ(answer.status, 200u) << answer.body;
    EXPECT_EQ(echoed_header(answer, "X-Varco-User-Fiscal-Number"), mario_cf);
  }
}

}  // namespace
}  // namespace varco::faults
