#include "gateway/http/field_name_set.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace varco::gateway {
namespace {

constexpr field_name_set names{
    std::array<std::string_view, 4>{"TE", "Upgrade", "Trailer", "x-forwarded-host"}};

TEST(field_name_set, finds_every_name_in_any_case) {
  for (const auto name : names.names()) {
    std::string lower(name);
    std::string upper(name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(names.contains(name)) << name;
    EXPECT_TRUE(names.contains(lower)) << lower;
    EXPECT_TRUE(names.contains(upper)) << upper;
  }
}

TEST(field_name_set, refuses_names_of_a_listed_length_that_differ) {
  // Same lengths as listed names ("Upgrade" and "Trailer" are both 7): the mask lets them through
  // and the comparison must still say no.
  EXPECT_FALSE(names.contains("Upgradf"));
  EXPECT_FALSE(names.contains("Trailed"));
  EXPECT_FALSE(names.contains("TF"));
  EXPECT_FALSE(names.contains("x-forwarded-hosT-"));
  EXPECT_FALSE(names.contains("x-forwarded-port"));
}

TEST(field_name_set, refuses_other_lengths_and_long_names) {
  EXPECT_FALSE(names.contains(""));
  EXPECT_FALSE(names.contains("T"));
  EXPECT_FALSE(names.contains("Upgrades"));
  EXPECT_FALSE(names.contains(std::string(64, 'a')));
  EXPECT_FALSE(names.contains(std::string(1000, 'T')));
}

}  // namespace
}  // namespace varco::gateway
