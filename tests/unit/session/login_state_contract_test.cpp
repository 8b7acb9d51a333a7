// One contract, both login-state stores: single-use pending requests, the replay cache and the
// SLO index behave the same in memory and on Redis.
#include "session/memory_login_state.hpp"
#include "session/redis_login_state.hpp"
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace varco::session::testing {
namespace {

struct memory_state_backend {
  boost::asio::io_context io;
  std::shared_ptr<login_state_store> store = std::make_shared<memory_login_state>();
};

struct redis_state_backend {
  boost::asio::io_context io;
  conf::redis config = redis_config(test::redis_server::shared().port(), unique_prefix());
  std::shared_ptr<login_state_store> store = std::make_shared<redis_login_state>(
      std::make_shared<redis::connection>(io.get_executor(), config), config.key_prefix);
};

template <class Backend>
class login_state_contract : public ::testing::Test {
 protected:
  Backend backend_;
  boost::asio::io_context& io() { return backend_.io; }
  login_state_store& store() { return *backend_.store; }

  std::optional<std::string> take(const std::string& key) {
    auto r = run(io(), store().take(key));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : std::nullopt;
  }
  bool claim(const std::string& key, std::chrono::milliseconds ttl) {
    auto r = run(io(), store().claim_once(key, ttl));
    EXPECT_TRUE(r) << r.error().message();
    return r && *r;
  }
};

using backends = ::testing::Types<memory_state_backend, redis_state_backend>;
TYPED_TEST_SUITE(login_state_contract, backends);

TYPED_TEST(login_state_contract, pending_value_is_taken_once) {
  ASSERT_TRUE(run(this->io(), this->store().put("a:relay-1", "pending\0bytes"s, 60s)));
  EXPECT_EQ(this->take("a:relay-1"), "pending\0bytes"s);
  EXPECT_EQ(this->take("a:relay-1"), std::nullopt);  // consumed
  EXPECT_EQ(this->take("a:never-put"), std::nullopt);
}

TYPED_TEST(login_state_contract, peek_reads_without_consuming) {
  ASSERT_TRUE(run(this->io(), this->store().put("a:relay-2", "bound\0to"s, 60s)));
  auto peeked = run(this->io(), this->store().peek("a:relay-2"));
  ASSERT_TRUE(peeked) << peeked.error().message();
  EXPECT_EQ(*peeked, "bound\0to"s);
  EXPECT_EQ(*run(this->io(), this->store().peek("a:relay-2")), "bound\0to"s);  // still there
  EXPECT_EQ(this->take("a:relay-2"), "bound\0to"s);
  EXPECT_EQ(*run(this->io(), this->store().peek("a:relay-2")), std::nullopt);  // taken
  EXPECT_EQ(*run(this->io(), this->store().peek("a:never-put")), std::nullopt);
}

TYPED_TEST(login_state_contract, pending_value_expires) {
  ASSERT_TRUE(run(this->io(), this->store().put("a:short", "x", 30ms)));
  EXPECT_TRUE(poll_until(
      this->io(),
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await this->store().take("a:short");
        co_return r && !*r;
      },
      3s));
}

TYPED_TEST(login_state_contract, claim_once_refuses_a_replay_until_it_expires) {
  EXPECT_TRUE(this->claim("r:assertion-1", 60s));
  EXPECT_FALSE(this->claim("r:assertion-1", 60s));
  EXPECT_TRUE(this->claim("r:assertion-2", 60s));
  EXPECT_TRUE(this->claim("r:brief", 30ms));
  EXPECT_TRUE(poll_until(
      this->io(),
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await this->store().claim_once("r:brief", 60s);
        co_return r&&* r;
      },
      3s));
}

TYPED_TEST(login_state_contract, count_hit_counts_within_its_window_then_starts_over) {
  auto hit = [&](const std::string& key, std::chrono::milliseconds ttl) -> std::uint64_t {
    auto r = run(this->io(), this->store().count_hit(key, ttl));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : 0;
  };
  EXPECT_EQ(hit("rl:login:10.0.0.1:1", 60s), 1u);
  EXPECT_EQ(hit("rl:login:10.0.0.1:1", 60s), 2u);
  EXPECT_EQ(hit("rl:login:10.0.0.1:1", 60s), 3u);
  EXPECT_EQ(hit("rl:login:10.0.0.2:1", 60s), 1u);  // counters are per key
  EXPECT_EQ(hit("rl:brief", 30ms), 1u);
  // Later hits do not extend the window: the counter expires and starts over at 1.
  EXPECT_TRUE(poll_until(
      this->io(),
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await this->store().count_hit("rl:brief", 30ms);
        co_return r&&* r == 1;
      },
      3s));
}

TYPED_TEST(login_state_contract, index_collects_members_and_take_empties_it) {
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n1", "session-a", 60s)));
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n1", "session-b", 30ms)));
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n1", "session-a", 60s)));
  auto members = run(this->io(), this->store().index_take("slo:idp|n1"));
  ASSERT_TRUE(members);
  std::sort(members->begin(), members->end());
  EXPECT_EQ(*members, (std::vector<std::string>{"session-a", "session-b"}));
  auto again = run(this->io(), this->store().index_take("slo:idp|n1"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

TYPED_TEST(login_state_contract, index_expires_after_its_longest_ttl) {
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n2", "s", 40ms)));
  EXPECT_TRUE(poll_until(
      this->io(),
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await this->store().index_take("slo:idp|n2");
        co_return r && r->empty();
      },
      3s));
}

TYPED_TEST(login_state_contract, index_remove_drops_one_member_and_keeps_the_others) {
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n3", "session-a", 60s)));
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n3", "session-b", 60s)));
  ASSERT_TRUE(run(this->io(), this->store().index_remove("slo:idp|n3", "session-a")));
  // Members and indexes that are not there: nothing to do, and not an error.
  ASSERT_TRUE(run(this->io(), this->store().index_remove("slo:idp|n3", "session-a")));
  ASSERT_TRUE(run(this->io(), this->store().index_remove("slo:idp|never-added", "session-a")));
  auto members = run(this->io(), this->store().index_take("slo:idp|n3"));
  ASSERT_TRUE(members);
  EXPECT_EQ(*members, (std::vector<std::string>{"session-b"}));
}

TYPED_TEST(login_state_contract, index_emptied_by_remove_is_gone_with_its_lifetime) {
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n4", "session-a", 60s)));
  ASSERT_TRUE(run(this->io(), this->store().index_remove("slo:idp|n4", "session-a")));
  auto emptied = run(this->io(), this->store().index_take("slo:idp|n4"));
  ASSERT_TRUE(emptied);
  EXPECT_TRUE(emptied->empty());
  // Had the emptied set stayed, a later add would keep its 60 s lifetime (the longest TTL wins):
  // the index expiring after the new 40 ms shows it started from nothing.
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n4", "session-b", 60s)));
  ASSERT_TRUE(run(this->io(), this->store().index_remove("slo:idp|n4", "session-b")));
  ASSERT_TRUE(run(this->io(), this->store().index_add("slo:idp|n4", "session-c", 40ms)));
  EXPECT_TRUE(poll_until(
      this->io(),
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await this->store().index_take("slo:idp|n4");
        co_return r && r->empty();
      },
      3s));
}

TEST(memory_login_state_limits, full_store_refuses_new_keys_instead_of_growing) {
  boost::asio::io_context io;
  memory_login_state store(2);
  ASSERT_TRUE(run(io, store.put("a:1", "x", 60s)));
  ASSERT_TRUE(run(io, store.put("a:2", "x", 60s)));
  auto third = run(io, store.put("a:3", "x", 60s));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error(), make_error_code(store_errc::unavailable));
  ASSERT_TRUE(run(io, store.put("a:1", "replaced", 60s)));  // an existing key may be replaced
  auto replay = run(io, store.claim_once("r:1", 60s));
  EXPECT_FALSE(replay);
}

TEST(memory_login_state_limits, emptied_index_gives_its_room_back) {
  boost::asio::io_context io;
  memory_login_state store(1);
  ASSERT_TRUE(run(io, store.index_add("slo:idp|n", "session-a", 60s)));
  ASSERT_FALSE(run(io, store.put("a:1", "x", 60s)));  // full
  ASSERT_TRUE(run(io, store.index_remove("slo:idp|n", "session-a")));
  EXPECT_TRUE(run(io, store.put("a:1", "x", 60s)));
}

TEST(redis_login_state_keys, index_remove_deletes_the_prefixed_key_with_its_last_member) {
  boost::asio::io_context io;
  const conf::redis config = redis_config(test::redis_server::shared().port(), unique_prefix());
  auto connection = std::make_shared<redis::connection>(io.get_executor(), config);
  redis_login_state store(connection, config.key_prefix);
  auto exists = [&](const std::string& key) -> long long {
    auto r = run(io, connection->command({"EXISTS", key}));
    EXPECT_TRUE(r && r->type == redis::reply::kind::integer);
    return r ? r->integer : -1;
  };
  ASSERT_TRUE(run(io, store.index_add("slo:idp|n", "session-a", 60s)));
  ASSERT_TRUE(run(io, store.index_add("slo:idp|n", "session-b", 60s)));
  ASSERT_TRUE(run(io, store.index_remove("slo:idp|n", "session-a")));
  EXPECT_EQ(exists(config.key_prefix + "slo:idp|n"), 1);
  ASSERT_TRUE(run(io, store.index_remove("slo:idp|n", "session-b")));
  EXPECT_EQ(exists(config.key_prefix + "slo:idp|n"), 0);
}

}  // namespace
}  // namespace varco::session::testing
