#include "base/percent_decoding.hpp"

#include <gtest/gtest.h>

namespace varco::base {
namespace {

TEST(percent_decode, decodes_escapes_in_either_case_and_plus_as_space) {
  EXPECT_EQ(percent_decode("%2f%2A+x%C3%A0").value(), "/* x\xC3\xA0");
  EXPECT_EQ(percent_decode("").value(), "");
  EXPECT_EQ(percent_decode("a%00b").value(), std::string("a\0b", 3));
}

TEST(percent_decode, refuses_an_incomplete_or_non_hex_escape) {
  for (auto bad : {"%", "%2", "abc%", "%zz", "%g0", "x%2"})
    EXPECT_FALSE(percent_decode(bad)) << bad;
}

TEST(percent_encode, keeps_only_unreserved_characters_and_round_trips) {
  EXPECT_EQ(percent_encode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percent_encode("a b+c/d?e=f&g"), "a%20b%2Bc%2Fd%3Fe%3Df%26g");
  EXPECT_EQ(percent_encode("\xc3\xa8"), "%C3%A8");
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(percent_decode(percent_encode(all)), all);
}

}  // namespace
}  // namespace varco::base
