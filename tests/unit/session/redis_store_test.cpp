// The Redis session store and revocation listener against a real server: the key prefix and
// database honoured, failure and recovery seen through the store, resubscription.
#include "session/redis_store.hpp"

#include "redis/connection.hpp"
#include "session/session_id.hpp"
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

namespace varco::session::testing {
namespace {

result<redis::reply> raw(boost::asio::io_context& io, redis::connection& c,
                         std::vector<std::string> args) {
  return run(io, c.command(std::move(args)));
}

TEST(redis_store, password_database_and_prefix_are_honoured) {
  test::redis_server server({.password = "s3cret pass"});
  boost::asio::io_context io;
  auto cfg = redis_config(server.port(), "custom:");
  cfg.password = server.password();
  cfg.database = 3;
  auto conn = std::make_shared<redis::connection>(io.get_executor(), cfg);
  redis_store store(conn, cfg.key_prefix);
  const session s = sample_session(session_key(new_session_id()));
  ASSERT_TRUE(run(io, store.save(s, 60s)));
  EXPECT_TRUE(conn->healthy());

  // Seen from an independent connection: the key is where the config says, and nowhere else.
  auto on_db0 = cfg;
  on_db0.database = 0;
  redis::connection db0(io.get_executor(), on_db0);
  redis::connection db3(io.get_executor(), cfg);
  auto there = raw(io, db3, {"EXISTS", "custom:s:" + s.key});
  ASSERT_TRUE(there);
  EXPECT_EQ(there->integer, 1);
  auto elsewhere = raw(io, db0, {"EXISTS", "custom:s:" + s.key});
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->integer, 0);

  // A wrong password never becomes healthy and its commands fail.
  auto bad = cfg;
  bad.password = "wrong";
  auto bad_conn = std::make_shared<redis::connection>(io.get_executor(), bad);
  redis_store bad_store(bad_conn, bad.key_prefix);
  EXPECT_FALSE(run(io, bad_store.load(s.key)));
  EXPECT_FALSE(bad_conn->healthy());
}

TEST(redis_store, unreachable_server_fails_fast_then_recovers) {
  test::redis_server server;
  boost::asio::io_context io;
  const auto cfg = redis_config(server.port(), unique_prefix());
  auto conn = std::make_shared<redis::connection>(io.get_executor(), cfg);
  redis_store store(conn, cfg.key_prefix);
  const session s = sample_session(session_key(new_session_id()));
  ASSERT_TRUE(run(io, store.save(s, 60s)));

  server.kill();
  const auto start = std::chrono::steady_clock::now();
  auto r = run(io, store.load(s.key));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error() == store_errc::unavailable || r.error() == store_errc::timeout)
      << r.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, cfg.command_timeout + 500ms);
  EXPECT_TRUE(run_until(
      io, [&] { return !conn->healthy(); }, 2s));
  // While down, commands do not queue up: they fail at once.
  const auto again = std::chrono::steady_clock::now();
  EXPECT_FALSE(run(io, store.load(s.key)));
  EXPECT_LT(std::chrono::steady_clock::now() - again, cfg.command_timeout + 500ms);

  server.restart();  // same port, empty data (no persistence)
  EXPECT_TRUE(run_until(
      io, [&] { return conn->healthy(); }, 10s));
  EXPECT_GT(conn->stats().reconnects.load(), 0u);
  EXPECT_GT(conn->stats().errors.load(), 0u);
  ASSERT_TRUE(run(io, store.save(s, 60s)));
  auto loaded = run(io, store.load(s.key));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(*loaded);
  EXPECT_EQ((*loaded)->value, s);
}

TEST(redis_subscriber, resubscribes_after_restart_and_asks_for_a_flush) {
  test::redis_server server;
  boost::asio::io_context io;
  const auto cfg = redis_config(server.port(), unique_prefix());
  int flushes = 0;
  std::vector<std::string> keys;
  redis_subscriber sub(io.get_executor(), cfg, [&](std::string_view key) {
    if (key.empty()) {
      ++flushes;
    } else {
      keys.emplace_back(key);
    }
  });
  ASSERT_TRUE(run_until(io, [&] { return flushes == 1; }));
  server.kill();
  server.restart();
  ASSERT_TRUE(run_until(
      io, [&] { return flushes == 2; }, 10s));

  auto conn = std::make_shared<redis::connection>(io.get_executor(), cfg);
  redis_store store(conn, cfg.key_prefix);
  ASSERT_TRUE(run(io, store.remove("gone")));
  ASSERT_TRUE(run_until(
      io, [&] { return !keys.empty(); }, 1s));
  EXPECT_EQ(keys, std::vector<std::string>{"gone"});
}

}  // namespace
}  // namespace varco::session::testing
