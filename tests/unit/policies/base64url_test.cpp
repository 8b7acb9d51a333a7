#include "policies/base64url.hpp"

#include <gtest/gtest.h>

namespace varco::policies {
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

TEST(base64url, decode_rejects_garbage) {
  EXPECT_EQ(base64url_decode("Zm9v+"), std::nullopt);
  EXPECT_EQ(base64url_decode("Z"), std::nullopt);
  EXPECT_EQ(base64url_decode("Zg=="), "f");
}

}  // namespace
}  // namespace varco::policies
