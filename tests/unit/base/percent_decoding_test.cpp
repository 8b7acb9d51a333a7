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

}  // namespace
}  // namespace varco::base
