// upstream_pool against a real upstream on loopback: a kept-alive connection is lent again, one
// that cannot be reused is not, and the pool keeps no more idle connections than pool_size.
#include "loopback_upstream.hpp"
#include "proxy_rig.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using testing::loopback_upstream;
using testing::proxy_rig;
using testing::run_until_done;

struct pool_fixture : ::testing::Test {
  asio::io_context io;
  loopback_upstream upstream{io};
  proxy_rig rig{io, upstream.port()};

  connect_outcome acquire(bool fresh_only = false) {
    return run_until_done(io, rig.pool().acquire(rig.upstream(), rig.environment(), fresh_only));
  }
};

TEST_F(pool_fixture, a_released_keep_alive_connection_is_lent_again) {
  auto first = acquire();
  ASSERT_TRUE(first.connection) << first.error.message();
  EXPECT_FALSE(first.connection->reused);
  const upstream_connection* lent = first.connection.get();
  rig.pool().release(std::move(first.connection), true, rig.environment().pool_size);
  EXPECT_EQ(rig.pool().idle_count(), 1u);

  auto second = acquire();
  ASSERT_TRUE(second.connection);
  EXPECT_EQ(second.connection.get(), lent);
  EXPECT_TRUE(second.connection->reused);
  EXPECT_EQ(rig.pool().idle_count(), 0u);
}

TEST_F(pool_fixture, a_connection_released_as_not_reusable_is_closed) {
  auto first = acquire();
  ASSERT_TRUE(first.connection);
  rig.pool().release(std::move(first.connection), false, rig.environment().pool_size);
  EXPECT_EQ(rig.pool().idle_count(), 0u);

  auto second = acquire();
  ASSERT_TRUE(second.connection);
  EXPECT_FALSE(second.connection->reused);
}

TEST_F(pool_fixture, a_connection_with_unread_bytes_is_not_kept) {
  auto first = acquire();
  ASSERT_TRUE(first.connection);
  // Bytes after a response are not a response the gateway asked for.
  const std::string_view stray = "HTTP/1.1 200 OK\r\n";
  auto room = first.connection->buffer.prepare(stray.size());
  std::memcpy(room.data(), stray.data(), stray.size());
  first.connection->buffer.commit(stray.size());
  rig.pool().release(std::move(first.connection), true, rig.environment().pool_size);
  EXPECT_EQ(rig.pool().idle_count(), 0u);
}

TEST_F(pool_fixture, an_idle_connection_closed_meanwhile_is_skipped) {
  auto first = acquire();
  ASSERT_TRUE(first.connection);
  upstream_connection& idle = *first.connection;
  rig.pool().release(std::move(first.connection), true, rig.environment().pool_size);
  boost::system::error_code ignored;
  idle.stream.socket().close(ignored);  // still owned by the pool, closed under it

  auto second = acquire();
  ASSERT_TRUE(second.connection);
  EXPECT_FALSE(second.connection->reused);
  EXPECT_TRUE(second.connection->stream.socket().is_open());
  EXPECT_EQ(rig.pool().idle_count(), 0u);
}

TEST_F(pool_fixture, fresh_only_skips_the_idle_connections) {
  auto first = acquire();
  ASSERT_TRUE(first.connection);
  rig.pool().release(std::move(first.connection), true, rig.environment().pool_size);

  auto fresh = acquire(true);
  ASSERT_TRUE(fresh.connection);
  EXPECT_FALSE(fresh.connection->reused);
  EXPECT_EQ(rig.pool().idle_count(), 1u);
}

TEST_F(pool_fixture, keeps_at_most_pool_size_idle_connections) {
  rig.environment().pool_size = 2;
  std::vector<upstream_connection_ptr> lent;
  for (int i = 0; i < 3; ++i) {
    auto outcome = acquire();
    ASSERT_TRUE(outcome.connection);
    lent.push_back(std::move(outcome.connection));
  }
  for (auto& connection : lent)
    rig.pool().release(std::move(connection), true, rig.environment().pool_size);
  EXPECT_EQ(rig.pool().idle_count(), 2u);

  rig.pool().clear();
  EXPECT_EQ(rig.pool().idle_count(), 0u);
}

TEST_F(pool_fixture, a_refused_connect_is_reported_as_refused) {
  // A port nobody listens on: bound, then closed.
  tcp::acceptor probe{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  conf::upstream_url nobody = rig.upstream();
  nobody.port = probe.local_endpoint().port();
  nobody.text = "http://127.0.0.1:" + std::to_string(nobody.port);
  probe.close();
  auto outcome = run_until_done(io, rig.pool().acquire(nobody, rig.environment()));
  EXPECT_FALSE(outcome.connection);
  EXPECT_EQ(outcome.failure, connect_failure::refused);
}

}  // namespace
}  // namespace varco::gateway
