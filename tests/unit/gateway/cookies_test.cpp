#include "gateway/http/cookies.hpp"

#include "gateway/http/gateway_cookies.hpp"

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

TEST(set_cookie_name, is_the_name_the_browser_sends_back) {
  EXPECT_EQ(set_cookie_name("sid=1; Path=/; HttpOnly"), "sid");
  EXPECT_EQ(set_cookie_name("  __Host-varco_session = x ; Secure"), "__Host-varco_session");
  // Nameless cookies (RFC 6265bis 5.6) come back as their value: "=a=b" is sent as "a=b".
  EXPECT_EQ(set_cookie_name("=varco_session=forged; Path=/"), "varco_session");
  EXPECT_EQ(set_cookie_name("varco_lang; Path=/"), "varco_lang");
  EXPECT_EQ(set_cookie_name(""), "");
}

TEST(gateway_cookies, owns_every_form_of_varcos_cookies_and_nothing_else) {
  const gateway_cookies tls{};  // the default: __Host-varco_session
  for (const char* name : {"varco_session", "__Host-varco_session", "__Secure-varco_session",
                           "varco_login", "__Host-varco_login", "__Secure-varco_login",
                           "varco_lang", "__Host-varco_lang", "__HOST-varco_session", "VARCO_LANG",
                           "varco_draft", "__Host-varco_draft", "__Secure-varco_draft"})
    EXPECT_TRUE(tls.owns(name)) << name;
  for (const char* name : {"varco", "varco_sessionx", "xvarco_lang", "__Host-", "JSESSIONID", ""})
    EXPECT_FALSE(tls.owns(name)) << name;
  conf::sessions plain;
  plain.plain_http = true;  // varco_session: the same list, derived from the configured name
  EXPECT_EQ(gateway_cookies(plain).names(), tls.names());
}

TEST(gateway_cookies, product_cookies_keep_their_order_and_lose_varcos) {
  const gateway_cookies own{};
  std::string out;
  own.append_product_cookies("a=1; varco_session=s; b=2;__Host-varco_login=l;  c = 3 ", out);
  EXPECT_EQ(out, "a=1; b=2; c = 3");
  own.append_product_cookies("varco_lang=en; d=4", out);  // a second Cookie field joins the first
  EXPECT_EQ(out, "a=1; b=2; c = 3; d=4");
  std::string none;
  own.append_product_cookies("varco_session=s; junk; __Host-varco_session=t", none);
  EXPECT_EQ(none, "");
}

TEST(gateway_cookies, a_set_cookie_for_varcos_cookie_is_recognised_in_every_spelling) {
  const gateway_cookies own{};
  EXPECT_TRUE(own.set_by("__Host-varco_session=fixed; Path=/; Secure"));
  EXPECT_TRUE(own.set_by("varco_login=x"));
  EXPECT_TRUE(own.set_by("=varco_session=x; Path=/"));
  EXPECT_TRUE(own.set_by("Varco_Lang=en"));
  EXPECT_TRUE(own.set_by("__Host-varco_draft=planted; Path=/; Secure"));
  EXPECT_FALSE(own.set_by("product_session=x; Path=/"));
  EXPECT_FALSE(own.set_by("theme=varco_session"));
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
