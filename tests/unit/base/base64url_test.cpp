#include "base/base64.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace varco::base {
namespace {

TEST(base64url, rfc4648_vectors_without_padding) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"},
  };
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64url_encode(plain), encoded);
    EXPECT_EQ(base64url_decode(encoded), plain);
  }
}

TEST(base64url, round_trips_every_tail_length) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
    bytes += static_cast<char>(i * 37 + 200);
  }
}

TEST(base64url, decode_accepts_padding_and_rejects_garbage) {
  EXPECT_EQ(base64url_decode("Zg=="), "f");
  EXPECT_EQ(base64url_decode("Zm8="), "fo");
  EXPECT_EQ(base64url_decode("Zm9v+"), std::nullopt);  // standard alphabet
  EXPECT_EQ(base64url_decode("Zm9v/w"), std::nullopt);
  EXPECT_EQ(base64url_decode("Z"), std::nullopt);  // impossible length
  EXPECT_EQ(base64url_decode("Zm 9v"), std::nullopt);
}

TEST(base64url, value_is_the_alphabet_position) {
  EXPECT_EQ(base64url_value('A'), 0);
  EXPECT_EQ(base64url_value('a'), 26);
  EXPECT_EQ(base64url_value('0'), 52);
  EXPECT_EQ(base64url_value('-'), 62);
  EXPECT_EQ(base64url_value('_'), 63);
  for (const char c : {'+', '/', '=', ' ', '\0', '\xff'}) EXPECT_EQ(base64url_value(c), -1) << c;
}

}  // namespace
}  // namespace varco::base
