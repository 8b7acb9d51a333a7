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
  EXPECT_EQ(cache.get("ca", t0), nullptr);
  cache.put("ca", make("a"), t0);
  ASSERT_NE(cache.get("ca", t0 + 4999ms), nullptr);
  EXPECT_EQ(cache.get("ca", t0 + 5s), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(session_cache, zero_ttl_disables) {
  session_cache cache(0ms, 10);
  cache.put("ca", make("a"), t0);
  EXPECT_EQ(cache.get("ca", t0), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(session_cache, bounded_least_recently_used_goes_first) {
  session_cache cache(1h, 2);
  cache.put("ca", make("a"), t0);
  cache.put("cb", make("b"), t0);
  ASSERT_NE(cache.get("ca", t0), nullptr);  // a is now more recent than b
  cache.put("cc", make("c"), t0);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.get("ca", t0), nullptr);
  EXPECT_EQ(cache.get("cb", t0), nullptr);
  EXPECT_NE(cache.get("cc", t0), nullptr);
}

TEST(session_cache, evict_clear_and_replace) {
  session_cache cache(1h, 10);
  cache.put("ca", make("a"), t0);
  cache.put("cb", make("b"), t0);
  auto newer = make("a");
  cache.put("ca", newer, t0 + 1s);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.get("ca", t0 + 1s), newer);
  cache.evict("a");
  cache.evict("missing");
  EXPECT_EQ(cache.get("ca", t0), nullptr);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.get("cb", t0), nullptr);
}

TEST(session_cache, looked_up_by_cookie_evicted_by_store_key) {
  session_cache cache(1h, 10);
  cache.put("cookie-1", make("key-1"), t0);
  EXPECT_EQ(cache.get("key-1", t0), nullptr);  // the store key is not a cookie
  ASSERT_NE(cache.get("cookie-1", t0), nullptr);
  cache.evict("cookie-1");  // a cookie is not a store key either
  ASSERT_NE(cache.get("cookie-1", t0), nullptr);
  cache.evict("key-1");  // a revocation names the store key
  EXPECT_EQ(cache.get("cookie-1", t0), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(session_cache, a_cookie_holds_one_entry) {
  session_cache cache(1h, 10);
  cache.put("cookie-1", make("key-1"), t0);
  auto other = make("key-2");
  cache.put("cookie-1", other, t0);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.get("cookie-1", t0), other);
  cache.evict("key-1");
  EXPECT_EQ(cache.get("cookie-1", t0), other);
}

}  // namespace
}  // namespace varco::session
