#include "base/base64.hpp"

#include <gtest/gtest.h>

#include <string>

namespace varco::base {
namespace {

using kind = base64_error::kind;

kind refusal(std::string_view text, std::size_t max_decoded = 100) {
  const auto decoded = base64_decode(text, max_decoded);
  EXPECT_FALSE(decoded) << text;
  return decoded ? kind::not_base64 : decoded.error().what;
}

TEST(base64, round_trips_every_tail_length) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    auto decoded = base64_decode(base64_encode(bytes), 1024);
    ASSERT_TRUE(decoded) << bytes.size();
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37 + 200);
  }
}

TEST(base64, known_vectors_with_padding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

TEST(base64, tolerates_line_breaks_and_spaces) {
  auto decoded = base64_decode(" Zm9v\r\nYmFy\n\tZg==\n", 100);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, "foobarf");
}

// Whole groups of four are decoded at once: a line break at any offset, inside a group or between
// two, and a bad character at any offset must come out as they do one character at a time.
TEST(base64, a_break_or_a_bad_character_anywhere_in_the_groups) {
  std::string bytes;
  for (int i = 0; i < 30; ++i) bytes += static_cast<char>(i * 53 + 7);
  const std::string text = base64_encode(bytes);
  for (std::size_t at = 0; at <= text.size(); ++at) {
    std::string broken = text;
    broken.insert(at, "\r\n");
    auto decoded = base64_decode(broken, 100);
    ASSERT_TRUE(decoded) << at;
    EXPECT_EQ(*decoded, bytes) << at;
    if (at < text.size()) {
      std::string bad = text;
      bad[at] = '!';
      EXPECT_EQ(refusal(bad), kind::not_base64) << at;
    }
  }
}

TEST(base64, refuses_bad_input) {
  EXPECT_EQ(refusal("Zm9v!"), kind::not_base64);
  EXPECT_EQ(refusal("Zm9"), kind::bad_length_or_padding);
  EXPECT_EQ(refusal("Zg=a"), kind::not_base64);             // data after '='
  EXPECT_EQ(refusal("Z==="), kind::bad_length_or_padding);  // 3 pads
  EXPECT_EQ(refusal("Zh=="), kind::padding_bits_set);
  EXPECT_EQ(refusal("Zm9v-_=="), kind::not_base64);  // url alphabet
}

TEST(base64, refuses_more_than_the_cap_before_decoding) {
  const std::string text = base64_encode(std::string(101, 'x'));
  const auto refused = base64_decode(text, 100);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().what, kind::too_large);
  EXPECT_EQ(refused.error().decoded_size, 101u);
  EXPECT_TRUE(base64_decode(text, 101));
}

}  // namespace
}  // namespace varco::base
