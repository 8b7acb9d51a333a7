#include "session/session_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace varco::session {
namespace {

TEST(session_id, is_43_base64url_characters_and_unique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_session_id();
    ASSERT_EQ(id.size(), 43u);
    EXPECT_EQ(
        id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(looks_like_session_id(id)) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(session_id, key_is_hex_sha256) {
  EXPECT_EQ(session_key("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string id = new_session_id();
  EXPECT_EQ(session_key(id).size(), 64u);
  EXPECT_NE(session_key(id), session_key(new_session_id()));
}

TEST(session_id, garbage_is_rejected) {
  const std::string good = new_session_id();
  EXPECT_FALSE(looks_like_session_id(""));
  EXPECT_FALSE(looks_like_session_id(good.substr(0, 42)));
  EXPECT_FALSE(looks_like_session_id(good + "A"));
  std::string bad = good;
  bad[5] = '+';  // base64, not base64url
  EXPECT_FALSE(looks_like_session_id(bad));
  bad = good;
  bad[10] = '\0';
  EXPECT_FALSE(looks_like_session_id(bad));
  bad = good;
  bad.back() = 'B';  // sets a padding bit no encoder produces
  EXPECT_FALSE(looks_like_session_id(bad));
  bad.back() = 'E';
  EXPECT_TRUE(looks_like_session_id(bad));
}

TEST(session_id, csrf_tokens_are_random) {
  const std::string a = new_csrf_token();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, new_csrf_token());
}

}  // namespace
}  // namespace varco::session
