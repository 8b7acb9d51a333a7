#include "conf/units.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace varco::conf {
namespace {

struct duration_case {
  std::string text;
  std::optional<duration> expected;
};

TEST(units, parse_duration_table) {
  const duration_case cases[] = {
      {"250ms", duration{250}},
      {"10s", duration{10'000}},
      {"15m", duration{15 * 60'000}},
      {"8h", duration{8 * 3'600'000}},
      {"1d", duration{86'400'000}},
      {"0", duration{0}},
      {"0s", duration{0}},
      {"", std::nullopt},
      {"10", std::nullopt},  // a unit is required except for 0
      {"s", std::nullopt},
      {"10x", std::nullopt},
      {"10 s", std::nullopt},
      {"-1s", std::nullopt},
      {"1.5s", std::nullopt},
      {"10S", std::nullopt},
      {"999999999999999999d", std::nullopt},  // overflow
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_duration(c.text), c.expected) << '"' << c.text << '"';
  }
}

struct bytes_case {
  std::string text;
  std::optional<std::uint64_t> expected;
};

TEST(units, parse_bytes_table) {
  const bytes_case cases[] = {
      {"512", 512},
      {"0", 0},
      {"512B", 512},
      {"16KiB", 16 * 1024},
      {"10MiB", 10 * 1024 * 1024},
      {"1GiB", 1024ull * 1024 * 1024},
      {"", std::nullopt},
      {"KiB", std::nullopt},
      {"10MB", std::nullopt},
      {"10kib", std::nullopt},
      {"1.5MiB", std::nullopt},
      {"-1", std::nullopt},
      {"99999999999999999999", std::nullopt},
      {"17179869184GiB", std::nullopt},  // 2^34 GiB overflows 64 bits
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_bytes(c.text), c.expected) << '"' << c.text << '"';
  }
}

TEST(units, format_duration_picks_the_largest_exact_unit) {
  EXPECT_EQ(format_duration(duration{0}), "0");
  EXPECT_EQ(format_duration(duration{250}), "250ms");
  EXPECT_EQ(format_duration(duration{90'000}), "90s");
  EXPECT_EQ(format_duration(duration{7'200'000}), "2h");
  EXPECT_EQ(format_duration(duration{86'400'000}), "1d");
}

}  // namespace
}  // namespace varco::conf
