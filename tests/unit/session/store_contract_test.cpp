// One contract, both stores: what the gateway may rely on whichever store is configured.
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace varco::session::testing {
namespace {

template <class Backend>
class store_contract : public ::testing::Test {
 protected:
  Backend backend_;
  boost::asio::io_context& io() { return backend_.io; }
  session_store& store() { return *backend_.store; }

  std::optional<stored_session> load(const std::string& key) {
    auto r = run(io(), store().load(key));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : std::nullopt;
  }
  void save(const session& s, std::chrono::milliseconds ttl) {
    auto r = run(io(), store().save(s, ttl));
    ASSERT_TRUE(r) << r.error().message();
  }
};

using backends = ::testing::Types<memory_backend, redis_backend>;
TYPED_TEST_SUITE(store_contract, backends);

TYPED_TEST(store_contract, save_then_load_round_trips) {
  const session s = sample_session("k-roundtrip");
  this->save(s, 60s);
  auto loaded = this->load(s.key);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->value, s);
  EXPECT_GT(loaded->ttl, 50s);
  EXPECT_LE(loaded->ttl, 60s);
}

TYPED_TEST(store_contract, missing_key_is_empty_not_error) {
  EXPECT_FALSE(this->load("no-such-key"));
}

TYPED_TEST(store_contract, save_replaces_whole_session) {
  session s = sample_session("k-replace");
  this->save(s, 60s);
  s.selected_party = "party-2";
  s.environments.clear();
  this->save(s, 60s);
  auto loaded = this->load(s.key);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->value, s);
}

TYPED_TEST(store_contract, session_expires_after_ttl) {
  const session s = sample_session("k-expire");
  this->save(s, 50ms);
  EXPECT_TRUE(poll_until(
      this->io(),
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await this->store().load(s.key);
        co_return r && !*r;
      },
      3s));
}

TYPED_TEST(store_contract, touch_extends_ttl_without_rewriting) {
  const session s = sample_session("k-touch");
  this->save(s, 300ms);
  ASSERT_TRUE(run(this->io(), this->store().touch(s.key, 60s)));
  auto loaded = this->load(s.key);
  ASSERT_TRUE(loaded);
  EXPECT_GT(loaded->ttl, 50s);
  EXPECT_EQ(loaded->value, s);
  // Touching a missing session is harmless and does not create one.
  ASSERT_TRUE(run(this->io(), this->store().touch("k-touch-missing", 60s)));
  EXPECT_FALSE(this->load("k-touch-missing"));
}

TYPED_TEST(store_contract, remove_deletes) {
  const session s = sample_session("k-remove");
  this->save(s, 60s);
  ASSERT_TRUE(run(this->io(), this->store().remove(s.key)));
  EXPECT_FALSE(this->load(s.key));
  ASSERT_TRUE(run(this->io(), this->store().remove(s.key)));  // idempotent
}

TYPED_TEST(store_contract, remove_is_announced_to_other_instances_within_100ms) {
  const session s = sample_session("k-revoke");
  this->save(s, 60s);
  std::vector<std::string> seen;
  auto feed = this->backend_.subscribe([&](std::string_view key) {
    if (!key.empty()) seen.emplace_back(key);
  });
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(run(this->io(), this->store().remove(s.key)));
  ASSERT_TRUE(run_until(
      this->io(), [&] { return !seen.empty(); }, 1s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_EQ(seen, std::vector<std::string>{s.key});
}

TYPED_TEST(store_contract, save_is_announced_too) {
  std::vector<std::string> seen;
  auto feed = this->backend_.subscribe([&](std::string_view key) {
    if (!key.empty()) seen.emplace_back(key);
  });
  const session s = sample_session("k-save-notify");
  this->save(s, 60s);
  ASSERT_TRUE(run_until(
      this->io(), [&] { return !seen.empty(); }, 1s));
  EXPECT_EQ(seen, std::vector<std::string>{s.key});
}

TYPED_TEST(store_contract, insert_stores_a_new_session_and_announces_nothing) {
  std::vector<std::string> seen;
  auto feed = this->backend_.subscribe([&](std::string_view key) {
    if (!key.empty()) seen.emplace_back(key);
  });
  const session fresh = sample_session("k-insert");
  ASSERT_TRUE(run(this->io(), this->store().insert(fresh, 60s)));
  auto loaded = this->load(fresh.key);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->value, fresh);
  EXPECT_GT(loaded->ttl, 50s);
  // Announcements arrive in the order the writes were made: once the save's has come, an
  // announcement of the insert would have come before it.
  const session saved = sample_session("k-insert-then-save");
  this->save(saved, 60s);
  ASSERT_TRUE(run_until(
      this->io(), [&] { return !seen.empty(); }, 1s));
  EXPECT_EQ(seen, std::vector<std::string>{saved.key});
}

TYPED_TEST(store_contract, insert_never_overwrites_a_session) {
  const session first = sample_session("k-insert-twice");
  this->save(first, 60s);
  session other = sample_session("k-insert-twice");
  other.selected_party = "party-2";
  auto refused = run(this->io(), this->store().insert(other, 60s));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), make_error_code(store_errc::protocol));
  auto loaded = this->load(first.key);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->value, first);
}

TYPED_TEST(store_contract, reports_healthy) {
  this->save(sample_session("k-health"), 60s);
  EXPECT_TRUE(this->store().healthy());
}

}  // namespace
}  // namespace varco::session::testing
