// The URL template of a redirect environment: a table of templates and what is wrong with each.
#include "conf/redirect_template.hpp"

#include <gtest/gtest.h>

namespace varco::conf {
namespace {

TEST(redirect_template, tokens_in_the_fragment_with_known_placeholders_are_accepted) {
  for (const char* ok : {
           "https://portal.example/#selfCareToken={token}&lang={lang}",
           "http://127.0.0.1:9105/#selfCareToken={token}",
           "https://portal.example/{product}/home?party={party}#t={token}&l={lang}",
           "https://portal.example/#t={token}&again={token}",
           "https://portal.example#{token}",
       }) {
    EXPECT_EQ(redirect_template_problem(ok), std::nullopt) << ok;
  }
}

TEST(redirect_template, anything_that_could_leak_or_misroute_the_token_is_refused) {
  const std::pair<const char*, const char*> cases[] = {
      {"ftp://portal.example/#{token}", "is not an http:// or https:// URL template"},
      {"//portal.example/#{token}", "is not an http:// or https:// URL template"},
      {"https:///#{token}", "has no host"},
      {"https://user@portal.example/#{token}", "must not carry user info"},
      {"https://{party}.portal.example/#{token}",
       "must not use placeholders in the host (the portal must not depend on the user)"},
      {"https://portal.example/#t={token} x", "must not contain spaces or control characters"},
      {"https://portal.example/?t={token}",
       "must put {token} in the fragment (after '#'), never in the path or query"},
      {"https://portal.example/{token}#x",
       "must put {token} in the fragment (after '#'), never in the path or query"},
      {"https://portal.example/?a={token}#b={token}",
       "must put {token} in the fragment (after '#'), never in the path or query"},
      {"https://portal.example/#lang={lang}", "must contain {token} (in the fragment)"},
      {"https://portal.example/#t={token}&u={user}",
       "uses {user}, not a placeholder ({token}, {lang}, {party}, {product})"},
      {"https://portal.example/#t={token", "has a '{' without its '}'"},
      {"https://portal.example/#t=token}", "has a '}' without its '{'"},
  };
  for (const auto& [url, problem] : cases) {
    EXPECT_EQ(redirect_template_problem(url), std::optional<std::string>(problem)) << url;
  }
}

}  // namespace
}  // namespace varco::conf
