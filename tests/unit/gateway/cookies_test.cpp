#include "gateway/http/cookies.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

TEST(find_cookie, finds_values_tolerating_spaces_and_quotes) {
  const std::string_view h = " a=1;b = 2 ;  __Host-varco_session=abc.DEF_-; q=\"quoted v\";e=";
  EXPECT_EQ(find_cookie(h, "a"), "1");
  EXPECT_EQ(find_cookie(h, "b"), "2");
  EXPECT_EQ(find_cookie(h, "__Host-varco_session"), "abc.DEF_-");
  EXPECT_EQ(find_cookie(h, "q"), "quoted v");
  EXPECT_EQ(find_cookie(h, "e"), "");
  EXPECT_FALSE(find_cookie(h, "missing"));
  EXPECT_FALSE(find_cookie(h, "A")) << "names are case-sensitive";
  EXPECT_FALSE(find_cookie("", "a"));
}

TEST(find_cookie, first_match_wins_and_junk_is_skipped) {
  EXPECT_EQ(find_cookie("s=first; s=second", "s"), "first");
  EXPECT_EQ(find_cookie("junk; ;=x; s=v", "s"), "v");
  EXPECT_FALSE(find_cookie("xs=1; sx=2", "s")) << "no substring matches";
  EXPECT_EQ(find_cookie("s=a=b", "s"), "a=b");
  EXPECT_EQ(find_cookie("s=\"", "s"), "\"") << "a lone quote is not a quoted value";
}

TEST(remove_cookie, drops_every_occurrence_and_keeps_the_rest) {
  EXPECT_EQ(remove_cookie("a=1; s=secret; b=2", "s"), "a=1; b=2");
  EXPECT_EQ(remove_cookie("s=1;a=1;s=2", "s"), "a=1");
  EXPECT_EQ(remove_cookie("  s=secret  ", "s"), "");
  EXPECT_EQ(remove_cookie("a=1;  b = 2", "s"), "a=1; b = 2");
  EXPECT_EQ(remove_cookie("a=1; junk; s=x", "s"), "a=1");
  EXPECT_EQ(remove_cookie("", "s"), "");
}

TEST(set_cookie, renders_attributes) {
  EXPECT_EQ(set_cookie("__Host-varco_session", "abc"),
            "__Host-varco_session=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
  cookie_options o;
  o.max_age = std::chrono::seconds(3600);
  o.secure = false;
  o.same_site = same_site::strict;
  EXPECT_EQ(set_cookie("varco_session", "v", o),
            "varco_session=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
  o.max_age = std::chrono::seconds(0);
  o.http_only = false;
  o.same_site = same_site::none;
  o.path = "/saml";
  EXPECT_EQ(set_cookie("p", "", o),
            "p=; Path=/saml; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=None");
}

}  // namespace
}  // namespace varco::gateway
