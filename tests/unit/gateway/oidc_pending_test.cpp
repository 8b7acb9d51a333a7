// The stored form of an OpenID Connect login round, and the shape a state must have.
#include "gateway/login/oidc_pending.hpp"

#include "oidc/authorization.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

TEST(oidc_pending_login, round_trips) {
  oidc_pending_login p{"spid-op", "n0nce", "verifier", 2, "/pagopa/home", "binding", 1700000000};
  auto back = decode_pending_login(encode_pending_login(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->provider, "spid-op");
  EXPECT_EQ(back->nonce, "n0nce");
  EXPECT_EQ(back->code_verifier, "verifier");
  EXPECT_EQ(back->level, 2);
  EXPECT_EQ(back->return_path, "/pagopa/home");
  EXPECT_EQ(back->browser_binding, "binding");
  EXPECT_EQ(back->issued_at, 1700000000);
}

TEST(oidc_pending_login, anything_else_is_refused) {
  for (
      const char* text :
      {"", "null", "[]", "{}", R"({"provider":"p"})",
       R"({"provider":1,"nonce":"n","verifier":"v","return":"","browser":"b","level":1,"iat":1})",
       R"({"provider":"p","nonce":"n","verifier":"v","return":"","browser":"b","level":"1","iat":1})"}) {
    EXPECT_FALSE(decode_pending_login(text)) << text;
  }
}

TEST(oidc_state, only_what_random_token_makes_is_a_state) {
  EXPECT_TRUE(looks_like_state(oidc::random_token()));
  EXPECT_FALSE(looks_like_state(""));
  EXPECT_FALSE(looks_like_state(std::string(42, 'a')));
  EXPECT_FALSE(looks_like_state(std::string(44, 'a')));
  EXPECT_FALSE(looks_like_state(std::string(42, 'a') + "="));
  EXPECT_FALSE(looks_like_state(std::string(42, 'a') + "/"));
}

}  // namespace
}  // namespace varco::gateway
