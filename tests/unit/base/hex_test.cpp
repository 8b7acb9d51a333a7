#include "base/hex.hpp"

#include <gtest/gtest.h>

#include <array>

namespace varco::base {
namespace {

TEST(hex, lower_case_two_digits_a_byte) {
  EXPECT_EQ(hex(std::string_view()), "");
  EXPECT_EQ(hex(std::string_view("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  const std::array<unsigned char, 4> bytes{0xde, 0xad, 0xbe, 0xef};
  EXPECT_EQ(hex(bytes), "deadbeef");
}

TEST(hex, digit_value_of_both_cases_and_nothing_else) {
  EXPECT_EQ(hex_digit_value('0'), 0);
  EXPECT_EQ(hex_digit_value('9'), 9);
  EXPECT_EQ(hex_digit_value('a'), 10);
  EXPECT_EQ(hex_digit_value('F'), 15);
  for (const char c : {'g', 'G', '/', ':', '@', '`', ' ', '%'}) EXPECT_EQ(hex_digit_value(c), -1);
}

}  // namespace
}  // namespace varco::base
