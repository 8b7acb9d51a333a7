#include "saml/base64.hpp"

#include <gtest/gtest.h>

#include <string>

namespace varco::saml {
namespace {

TEST(base64, round_trips_every_tail_length) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    auto decoded = base64_decode(base64_encode(bytes), 1024);
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37 + 200);
  }
}

TEST(base64, known_vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(base64, tolerates_line_breaks_and_spaces) {
  auto decoded = base64_decode(" Zm9v\r\nYmFy\n\tZg==\n", 100);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(*decoded, "foobarf");
}

TEST(base64, refuses_bad_input) {
  EXPECT_EQ(base64_decode("Zm9v!", 100).error().code, reason::bad_encoding);
  EXPECT_EQ(base64_decode("Zm9", 100).error().code, reason::bad_encoding);       // length
  EXPECT_EQ(base64_decode("Zg=a", 100).error().code, reason::bad_encoding);      // data after '='
  EXPECT_EQ(base64_decode("Z===", 100).error().code, reason::bad_encoding);      // 3 pads
  EXPECT_EQ(base64_decode("Zh==", 100).error().code, reason::bad_encoding);      // pad bits set
  EXPECT_EQ(base64_decode("Zm9v-_==", 100).error().code, reason::bad_encoding);  // url alphabet
}

TEST(base64, refuses_more_than_the_cap_before_decoding) {
  const std::string text = base64_encode(std::string(101, 'x'));
  EXPECT_EQ(base64_decode(text, 100).error().code, reason::message_too_large);
  EXPECT_TRUE(base64_decode(text, 101));
}

}  // namespace
}  // namespace varco::saml
