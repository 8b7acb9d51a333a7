#include "session/session_cache.hpp"

#include <gtest/gtest.h>

namespace varco::session {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const session> make(std::string key) {
  auto s = std::make_shared<session>();
  s->key = std::move(key);
  return s;
}

const time_point t0{std::chrono::milliseconds{1'000'000}};

TEST(session_cache, serves_entries_younger_than_ttl) {
  session_cache cache(5s, 10);
  EXPECT_EQ(cache.get("a", t0), nullptr);
  cache.put(make("a"), t0);
  ASSERT_NE(cache.get("a", t0 + 4999ms), nullptr);
  EXPECT_EQ(cache.get("a", t0 + 5s), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(session_cache, zero_ttl_disables) {
  session_cache cache(0ms, 10);
  cache.put(make("a"), t0);
  EXPECT_EQ(cache.get("a", t0), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(session_cache, bounded_least_recently_used_goes_first) {
  session_cache cache(1h, 2);
  cache.put(make("a"), t0);
  cache.put(make("b"), t0);
  ASSERT_NE(cache.get("a", t0), nullptr);  // a is now more recent than b
  cache.put(make("c"), t0);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.get("a", t0), nullptr);
  EXPECT_EQ(cache.get("b", t0), nullptr);
  EXPECT_NE(cache.get("c", t0), nullptr);
}

TEST(session_cache, evict_clear_and_replace) {
  session_cache cache(1h, 10);
  cache.put(make("a"), t0);
  cache.put(make("b"), t0);
  auto newer = make("a");
  cache.put(newer, t0 + 1s);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.get("a", t0 + 1s), newer);
  cache.evict("a");
  cache.evict("missing");
  EXPECT_EQ(cache.get("a", t0), nullptr);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.get("b", t0), nullptr);
}

}  // namespace
}  // namespace varco::session
