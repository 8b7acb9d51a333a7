#include "base/random.hpp"

#include <gtest/gtest.h>

#include <array>

namespace varco::base {
namespace {

TEST(fill_random, fills_the_whole_span_with_fresh_bytes) {
  std::array<unsigned char, 32> a{};
  std::array<unsigned char, 32> b{};
  fill_random(a);
  fill_random(b);
  EXPECT_NE(a, b);                                  // 2^-256 to fail by chance
  EXPECT_NE(a, (std::array<unsigned char, 32>{}));  // not left zero
}

}  // namespace
}  // namespace varco::base
