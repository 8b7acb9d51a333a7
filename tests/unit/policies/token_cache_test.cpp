#include "policies/token_cache.hpp"

#include <gtest/gtest.h>

namespace varco::policies {
namespace {

using namespace std::chrono_literals;
using time_point = token_cache::time_point;

const time_point t0{1'700'000'000'000ms};

token_key key(std::string_view session, std::string_view env = "collaudo",
              std::string_view party = "p1", std::uint64_t generation = 1) {
  return {session, "prod-pagopa", env, party, generation};
}

TEST(token_cache, reuses_a_token_until_near_expiry) {
  token_cache cache;
  cache.put(key("s1"), "token-1", t0, t0 + 15min);
  ASSERT_NE(cache.get(key("s1"), t0), nullptr);
  EXPECT_EQ(*cache.get(key("s1"), t0 + 1min), "token-1");
  // 20 % of 15 min = 3 min, more than 60 s: re-sign from 12 min on.
  EXPECT_NE(cache.get(key("s1"), t0 + 12min - 1ms), nullptr);
  EXPECT_EQ(cache.get(key("s1"), t0 + 12min), nullptr);
  EXPECT_EQ(cache.size(), 0u);  // the stale entry is dropped
  cache.put(key("s1"), "token-2", t0 + 12min, t0 + 27min);
  EXPECT_EQ(*cache.get(key("s1"), t0 + 12min), "token-2");
}

TEST(token_cache, margin_is_at_least_a_minute) {
  EXPECT_TRUE(token_cache::reusable(t0, t0 + 2min, t0 + 59s));
  EXPECT_FALSE(token_cache::reusable(t0, t0 + 2min, t0 + 1min));
  EXPECT_FALSE(token_cache::reusable(t0, t0 + 30s, t0));  // shorter than the margin: never reused
}

TEST(token_cache, every_key_part_matters) {
  token_cache cache;
  cache.put(key("s1"), "t", t0, t0 + 15min);
  EXPECT_EQ(cache.get(key("s2"), t0), nullptr);
  EXPECT_EQ(cache.get(key("s1", "produzione"), t0), nullptr);
  EXPECT_EQ(cache.get(key("s1", "collaudo", "p2"), t0), nullptr);
  EXPECT_EQ(cache.get(key("s1", "collaudo", "p1", 2), t0), nullptr);
  EXPECT_EQ(cache.get({"s1", "prod-other", "collaudo", "p1", 1}, t0), nullptr);
  EXPECT_NE(cache.get(key("s1"), t0), nullptr);
}

TEST(token_cache, evicts_one_session) {
  token_cache cache;
  cache.put(key("s1"), "a", t0, t0 + 15min);
  cache.put(key("s1", "produzione"), "b", t0, t0 + 15min);
  cache.put(key("s10"), "c", t0, t0 + 15min);
  cache.put(key("s2"), "d", t0, t0 + 15min);
  cache.evict_session("s1");
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.get(key("s1"), t0), nullptr);
  EXPECT_EQ(cache.get(key("s1", "produzione"), t0), nullptr);
  EXPECT_NE(cache.get(key("s10"), t0), nullptr);
  EXPECT_NE(cache.get(key("s2"), t0), nullptr);
}

TEST(token_cache, bounded_with_least_recently_used_eviction) {
  token_cache cache(2);
  cache.put(key("a"), "a", t0, t0 + 15min);
  cache.put(key("b"), "b", t0, t0 + 15min);
  ASSERT_NE(cache.get(key("a"), t0), nullptr);  // a is now the most recent
  cache.put(key("c"), "c", t0, t0 + 15min);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.get(key("b"), t0), nullptr);
  EXPECT_NE(cache.get(key("a"), t0), nullptr);
  EXPECT_NE(cache.get(key("c"), t0), nullptr);
}

TEST(token_cache, keys_are_copied) {
  token_cache cache;
  {
    std::string session = "transient-session";
    cache.put(key(session), "t", t0, t0 + 15min);
    session.assign(session.size(), 'x');
  }
  EXPECT_NE(cache.get(key("transient-session"), t0), nullptr);
}

}  // namespace
}  // namespace varco::policies
