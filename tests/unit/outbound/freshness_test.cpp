#include "gateway/outbound/freshness.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using std::chrono::seconds;

constexpr seconds floor_ = seconds(60);
constexpr seconds cap = seconds(86400);

TEST(freshness, max_age_within_the_bounds_is_kept) {
  EXPECT_EQ(freshness("max-age=3600", floor_, cap), seconds(3600));
  EXPECT_EQ(freshness("public, max-age=300", floor_, cap), seconds(300));
  EXPECT_EQ(freshness("  Max-Age = 300 ,must-revalidate", floor_, cap), seconds(300));
  EXPECT_EQ(freshness("max-age=\"120\"", floor_, cap), seconds(120));
  EXPECT_EQ(freshness("max-age=60", floor_, cap), seconds(60));
  EXPECT_EQ(freshness("max-age=86400", floor_, cap), seconds(86400));
}

TEST(freshness, is_floored_and_capped) {
  EXPECT_EQ(freshness("max-age=0", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=5", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=31536000", floor_, cap), cap);
  EXPECT_EQ(freshness("max-age=99999999999999999999999999", floor_, cap), cap);  // saturates
  EXPECT_EQ(freshness("max-age=100", seconds(0), seconds(0)), seconds(0));
}

TEST(freshness, no_store_and_no_cache_mean_the_floor) {
  EXPECT_EQ(freshness("no-store", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=3600, no-cache", floor_, cap), floor_);
  EXPECT_EQ(freshness("NO-STORE, max-age=3600", floor_, cap), floor_);
  EXPECT_EQ(freshness("no-cache=\"Set-Cookie\", max-age=3600", floor_, cap), floor_);
  EXPECT_EQ(freshness("no-store", seconds(0), cap), seconds(0));
}

TEST(freshness, without_a_usable_max_age_is_the_floor) {
  EXPECT_EQ(freshness("", floor_, cap), floor_);
  EXPECT_EQ(freshness("public", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=-5", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=12h", floor_, cap), floor_);
  EXPECT_EQ(freshness("max-age=1e3", floor_, cap), floor_);
  EXPECT_EQ(freshness("s-maxage=3600", floor_, cap), floor_);  // for shared caches only
  EXPECT_EQ(freshness(",,, ,", floor_, cap), floor_);
}

TEST(freshness, the_smallest_of_several_max_ages_counts) {
  EXPECT_EQ(freshness("max-age=3600, max-age=600", floor_, cap), seconds(600));
  EXPECT_EQ(freshness("max-age=600, max-age=3600", floor_, cap), seconds(600));
  EXPECT_EQ(freshness("max-age=600, max-age=bad", floor_, cap), seconds(600));
}

}  // namespace
}  // namespace varco::gateway
