// Session lifetime as the gateway enforces it: idle and absolute expiry, one Redis shared by two
// instances with revocation reaching both at once, and the embedded memory store.
#include "tests/integration/integration_stack.hpp"

namespace varco::integration {
namespace {

using std::chrono::steady_clock;

TEST(session_lifetime, an_idle_session_is_refused_once_its_idle_timeout_has_passed) {
  settings config;
  config.idle_timeout = "1s";
  config.cache_ttl = "0s";  // every request asks Redis
  stack s(config);
  session_spec spec;
  spec.fiscal_number = manager_cf;
  spec.party = institution;
  spec.environments = {{"prod-pagopa", "collaudo"}};
  spec.idle_timeout = 1s;
  const auto id = create_session(s.redis_port(), spec);

  ASSERT_EQ(http_get(s.port(), "/pagopa/x", as_api(with_cookie(id))).status, 200u);
  const auto last_used = steady_clock::now();
  // Unused: Redis lets it expire (its idle TTL), then the gateway refuses it.
  ASSERT_TRUE(eventually([&] { return !session_exists(s.redis_port(), id); }, 5s, 20ms));
  EXPECT_GE(steady_clock::now() - last_used, 900ms);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", as_api(with_cookie(id))).status, 401u);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", as_browser(with_cookie(id))).status, 302u);
}

TEST(session_lifetime, a_session_past_its_absolute_timeout_is_refused_while_still_stored) {
  settings config;
  config.absolute_timeout = "1h";
  config.cache_ttl = "0s";
  stack s(config);
  session_spec fresh;
  fresh.fiscal_number = manager_cf;
  fresh.party = institution;
  fresh.environments = {{"prod-pagopa", "collaudo"}};
  session_spec old = fresh;
  old.created_ago = 2h;      // beyond absolute_timeout…
  old.idle_timeout = 10min;  // …though its idle TTL is alive
  const auto young_id = create_session(s.redis_port(), fresh);
  const auto old_id = create_session(s.redis_port(), old);

  ASSERT_TRUE(session_exists(s.redis_port(), old_id));
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", as_api(with_cookie(young_id))).status, 200u);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", as_api(with_cookie(old_id))).status, 401u);
  EXPECT_EQ(s.pagopa_collaudo.requests(), 1u);
}

TEST(two_instances, share_sessions_and_a_deletion_reaches_both_within_100ms) {
  settings config;
  config.cache_ttl = "30s";  // the revocation, not the cache's expiry, must evict it
  stack s(config);
  const auto second = s.start_varco();
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const std::uint16_t ports[] = {s.port(), second->port()};
  // Fresh connections spread over both workers of each instance, so every cache holds it.
  for (const auto port : ports)
    for (int i = 0; i < 8; ++i)
      ASSERT_EQ(http_get(port, "/pagopa/x", with_cookie(id)).status, 200u) << port;

  const auto deleted_at = steady_clock::now();
  delete_session(s.redis_port(), id);
  bool refused_everywhere = eventually(
      [&] {
        for (const auto port : ports)
          for (int i = 0; i < 4; ++i)
            if (http_get(port, "/pagopa/x", as_api(with_cookie(id))).status != 401) return false;
        return true;
      },
      2s, 1ms);
  const auto took = steady_clock::now() - deleted_at;
  ASSERT_TRUE(refused_everywhere);
  EXPECT_LT(took, 100ms) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                         << " ms";
  // And it stays refused on both.
  for (const auto port : ports)
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(http_get(port, "/pagopa/x", as_api(with_cookie(id))).status, 401u);
}

TEST(memory_store, a_single_instance_serves_without_redis) {
  settings config;
  config.store = "memory";
  config.redis_port = 1;  // nothing listens there: the memory store must not need it
  stack s(config);
  const auto ready = http_get(s.port(), "/readyz");
  EXPECT_EQ(ready.status, 200u) << ready.body;
  EXPECT_EQ(http_get(s.port(), "/healthz").status, 200u);
  const auto page = http_get(s.port(), "/pagopa/x", as_browser());
  EXPECT_EQ(page.status, 302u);
  EXPECT_EQ(page.header("Location").rfind("/login?return=", 0), 0u);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", as_api()).status, 401u);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", as_api(with_cookie(std::string(43, 'M')))).status,
            401u);
}

}  // namespace
}  // namespace varco::integration
