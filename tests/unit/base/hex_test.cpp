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

TEST(hex, append_hex_has_no_leading_zeros) {
  std::string out = "x";
  append_hex(out, 0);
  EXPECT_EQ(out, "x0");
  out.clear();
  append_hex(out, 0x1a2bU);
  EXPECT_EQ(out, "1a2b");
  out.clear();
  append_hex(out, 0xffffffffffffffffULL);
  EXPECT_EQ(out, "ffffffffffffffff");
  out.clear();
  append_hex(out, 0x8000000000000000ULL);
  EXPECT_EQ(out, "8000000000000000");
}

TEST(hex, write_hex_keeps_leading_zeros_and_cuts_high_bits) {
  std::string out(8, '?');
  write_hex(out, 0x2a);
  EXPECT_EQ(out, "0000002a");
  write_hex(out, 0x123456789abcdef0ULL);
  EXPECT_EQ(out, "9abcdef0");
  std::string wide(16, '?');
  write_hex(wide, 0xfedcba9876543210ULL);
  EXPECT_EQ(wide, "fedcba9876543210");
}

}  // namespace
}  // namespace varco::base
