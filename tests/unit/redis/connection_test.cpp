// The Redis client against a real server: configuration honoured, failure and recovery.
#include "redis/connection.hpp"

#include "tests/support/redis_server.hpp"
#include "tests/support/redis_test_config.hpp"
#include "tests/support/test_io.hpp"

#include <gtest/gtest.h>

namespace varco::redis {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using boost::system::result;
using test::redis_config;
using test::run;
using test::run_until;
using test::unique_prefix;

result<reply> raw(boost::asio::io_context& io, connection& c, std::vector<std::string> args) {
  return run(io, c.command(std::move(args)));
}

TEST(redis_connection, binary_safe_and_pipelined) {
  boost::asio::io_context io;
  const auto cfg = redis_config(test::redis_server::shared().port(), unique_prefix());
  connection c(io.get_executor(), cfg);
  const std::string key = cfg.key_prefix + "bin";
  const std::string value = "a\0b\r\n$3\r\n"s;
  auto set = raw(io, c, {"SET", key, value});
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->is_status("OK"));
  auto replies = run(io, c.pipeline({{"GET", key}, {"STRLEN", key}, {"LRANGE", key, "0", "1"}}));
  ASSERT_EQ(replies.size(), 3u);
  ASSERT_TRUE(replies[0]);
  EXPECT_EQ(replies[0]->str, value);
  ASSERT_TRUE(replies[1]);
  EXPECT_EQ(replies[1]->integer, static_cast<long long>(value.size()));
  ASSERT_TRUE(replies[2]);
  EXPECT_TRUE(replies[2]->is_error());  // WRONGTYPE comes back as a reply, not a failure
  EXPECT_TRUE(c.healthy());
  EXPECT_GE(c.stats().commands.load(), 4u);
}

TEST(redis_connection, password_and_database_are_honoured) {
  test::redis_server server({.password = "s3cret pass"});
  boost::asio::io_context io;
  auto cfg = redis_config(server.port(), "custom:");
  cfg.password = server.password();
  cfg.database = 3;
  connection db3(io.get_executor(), cfg);
  const std::string key = cfg.key_prefix + "k";
  auto set = raw(io, db3, {"SET", key, "v"});
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->is_status("OK"));
  EXPECT_TRUE(db3.healthy());

  // Seen from an independent connection: the key is on the configured database, and nowhere else.
  auto on_db0 = cfg;
  on_db0.database = 0;
  connection db0(io.get_executor(), on_db0);
  connection again(io.get_executor(), cfg);
  auto there = raw(io, again, {"EXISTS", key});
  ASSERT_TRUE(there);
  EXPECT_EQ(there->integer, 1);
  auto elsewhere = raw(io, db0, {"EXISTS", key});
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->integer, 0);

  // A wrong password never becomes healthy and its commands fail.
  auto bad = cfg;
  bad.password = "wrong";
  connection bad_conn(io.get_executor(), bad);
  // Either the server's NOAUTH or, once the connection has been dropped, unavailable.
  auto refused = raw(io, bad_conn, {"GET", key});
  EXPECT_TRUE(!refused || refused->is_error());
  EXPECT_FALSE(bad_conn.healthy());
}

TEST(redis_connection, unreachable_server_fails_fast_then_recovers) {
  test::redis_server server;
  boost::asio::io_context io;
  const auto cfg = redis_config(server.port(), unique_prefix());
  connection conn(io.get_executor(), cfg);
  const std::string key = cfg.key_prefix + "k";
  ASSERT_TRUE(raw(io, conn, {"SET", key, "v1"}));

  server.kill();
  const auto start = std::chrono::steady_clock::now();
  auto r = raw(io, conn, {"GET", key});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error() == store_errc::unavailable || r.error() == store_errc::timeout)
      << r.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, cfg.command_timeout + 500ms);
  EXPECT_TRUE(run_until(
      io, [&] { return !conn.healthy(); }, 2s));
  // While down, commands do not queue up: they fail at once.
  const auto again = std::chrono::steady_clock::now();
  EXPECT_FALSE(raw(io, conn, {"GET", key}));
  EXPECT_LT(std::chrono::steady_clock::now() - again, cfg.command_timeout + 500ms);

  server.restart();  // same port, empty data (no persistence)
  EXPECT_TRUE(run_until(
      io, [&] { return conn.healthy(); }, 10s));
  EXPECT_GT(conn.stats().reconnects.load(), 0u);
  EXPECT_GT(conn.stats().errors.load(), 0u);
  ASSERT_TRUE(raw(io, conn, {"SET", key, "v2"}));
  auto loaded = raw(io, conn, {"GET", key});
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->str, "v2");
}

TEST(redis_connection, subscription_is_renewed_after_a_restart) {
  test::redis_server server;
  boost::asio::io_context io;
  const auto cfg = redis_config(server.port(), unique_prefix());
  const std::string channel = cfg.key_prefix + "news";
  int subscribed = 0;
  std::vector<std::string> messages;
  connection listener(io.get_executor(), cfg);
  listener.subscribe(
      channel, [&](std::string_view payload) { messages.emplace_back(payload); },
      [&] { ++subscribed; });
  ASSERT_TRUE(run_until(io, [&] { return subscribed == 1; }));
  server.kill();
  server.restart();
  ASSERT_TRUE(run_until(
      io, [&] { return subscribed == 2; }, 10s));

  connection publisher(io.get_executor(), cfg);
  auto published = raw(io, publisher, {"PUBLISH", channel, "hello"});
  ASSERT_TRUE(published);
  EXPECT_EQ(published->integer, 1);  // the renewed subscription is the one listener
  ASSERT_TRUE(run_until(
      io, [&] { return !messages.empty(); }, 1s));
  EXPECT_EQ(messages, std::vector<std::string>{"hello"});
}

TEST(redis_connection, destroyed_with_commands_in_flight) {
  boost::asio::io_context io;
  const auto cfg = redis_config(test::redis_server::shared().port(), unique_prefix());
  auto conn = std::make_unique<connection>(io.get_executor(), cfg);
  auto future = boost::asio::co_spawn(io, conn->command({"PING"}), boost::asio::use_future);
  io.poll();  // the command is written out, the reply not yet read
  conn.reset();
  ASSERT_TRUE(run_until(io, [&] { return future.wait_for(0s) == std::future_status::ready; }));
  auto r = future.get();
  if (!r) {
    EXPECT_EQ(r.error(), store_errc::unavailable);
  }
  io.run_for(50ms);  // late handlers find a stopped state, not freed memory (ASan/valgrind)
}

}  // namespace
}  // namespace varco::redis
