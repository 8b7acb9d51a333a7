// Every redirect after login takes its target from safe_return_path: a table of open-redirect
// tricks that must be refused, and the local paths that must pass.
#include "gateway/http/return_path.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

const std::vector<std::string> anywhere{"/"};

TEST(return_path, local_paths_pass) {
  for (const char* ok : {"/", "/area", "/pagopa/home?x=1&y=%2F", "/io/a%20b", "/area#top"}) {
    EXPECT_EQ(safe_return_path(ok, anywhere), std::string(ok)) << ok;
  }
}

TEST(return_path, open_redirect_tricks_are_refused) {
  for (const char* bad : {"",
                          "area",
                          "//evil.example",
                          "///evil.example",
                          "/\\evil.example",
                          "\\\\evil.example",
                          "https://evil.example",
                          "http:/evil.example",
                          "javascript:alert(1)",
                          "/%2F/evil.example",
                          "/%2fevil.example",
                          "/%5Cevil.example",
                          "/\t/evil.example",
                          "/%09/evil.example",
                          "/%0d%0aSet-Cookie:x=1",
                          "/a b",
                          "/a%20%",
                          "/a%zz",
                          "/\x7f",
                          "/%00",
                          "//user@evil.example"}) {
    EXPECT_EQ(safe_return_path(bad, anywhere), std::nullopt) << bad;
  }
  EXPECT_EQ(safe_return_path(std::string(3000, 'a').insert(0, "/"), anywhere), std::nullopt);
}

// Issue 5: the whole open-redirect table, raw and percent-encoded. Each must be refused (the
// caller then uses its fixed default); none may come back in any form.
TEST(return_path, the_open_redirect_table_is_refused) {
  using namespace std::string_literals;
  const std::vector<std::string> hostile = {
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\\\\evil",
      "https://evil.example",
      "http:evil.example",
      "HTTPS://evil.example",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "//user@evil.example",
      "/%2F%2Fevil.example",
      "/%2f/evil.example",
      "/%5Cevil.example",
      "/%5cevil.example",
      "%2F%2Fevil.example",
      "%0d%0aLocation: http://evil",
      "/foo%0d%0aSet-Cookie:x=1",
      "/foo%0D%0ASet-Cookie:x=1",
      "/foo\r\nSet-Cookie:x=1",
      "/foo\nLocation: http://evil",
      "/foo\rx",
      "/%09/evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/%0a/evil.example",
      "/%0A/evil.example",
      "/%0d/evil.example",
      "/%00evil",
      "/\0evil"s,
      "/evil\0"s,
      "\t//evil.example",
      " /area",
      "///evil.example",
      "////evil.example",
      "/.//evil",
      "/./evil",
      "/../evil",
      "/area/../..//evil",
      "/%2e//evil",
      "/%2E%2E//evil",
      "/.%2e/evil",
      "https:\\\\evil",
      "https:/\\evil",
      "/\xef\xbc\x8f"
      "evil.example",  // U+FF0F fullwidth solidus, raw
      "/\xef\xbc\x8f\xef\xbc\x8f"
      "evil",  // two of them
      "/\xe3\x80\x82"
      "evil",  // U+3002 ideographic full stop, raw
      "/\xef\xbc\xbc"
      "evil",                 // U+FF3C fullwidth reverse solidus, raw
      "/%C0%AFevil.example",  // overlong '/'
      "/%c0%ae%c0%ae/evil",   // overlong ".."
      "/%C1%9Cevil",          // overlong '\'
      "/%7F",
      "/a%",
      "/a%2",
      "/a%g0",
      "/" + std::string(2048, 'a'),  // longer than the cap
  };
  for (const auto& bad : hostile) {
    EXPECT_EQ(safe_return_path(bad, anywhere), std::nullopt) << bad;
    EXPECT_EQ(safe_return_path(bad, {"/area", "/pagopa/"}), std::nullopt) << bad;
  }
}

TEST(return_path, legitimate_local_paths_still_work) {
  for (const char* ok : {"/area", "/area/environment?product=prod-pagopa",
                         "/pagopa/home?x=1&next=%2F%2Fnot-a-redirect",  // a query may hold '//'
                         "/pagopa/a//b",                                // so may a later segment
                         "/io/%E3%80%82",                               // encoded non-ASCII
                         "/io/%EF%BC%8F", "/io/caf%C3%A9",
                         "/io/.well-known/x",  // a segment that only starts with a dot
                         "/io/..x/a...b", "/area#section", "/area?q=a%20b"}) {
    EXPECT_EQ(safe_return_path(ok, anywhere), std::string(ok)) << ok;
  }
  // The length cap is inclusive.
  const std::string longest = "/" + std::string(2047, 'a');
  EXPECT_EQ(safe_return_path(longest, anywhere), longest);
}

TEST(return_path, only_configured_prefixes_are_followed) {
  const std::vector<std::string> prefixes{"/area", "/pagopa/"};
  EXPECT_TRUE(safe_return_path("/area", prefixes));
  EXPECT_TRUE(safe_return_path("/area/users?p=2", prefixes));
  EXPECT_TRUE(safe_return_path("/pagopa/x", prefixes));
  EXPECT_FALSE(safe_return_path("/areas", prefixes));  // a prefix ends at a segment boundary
  EXPECT_FALSE(safe_return_path("/io/x", prefixes));
}

}  // namespace
}  // namespace varco::gateway
