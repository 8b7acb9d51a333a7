// Every redirect after login takes its target from safe_return_path: a table of open-redirect
// tricks that must be refused, and the local paths that must pass.
#include "gateway/login/return_path.hpp"

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
