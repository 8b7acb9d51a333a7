#include "base/html.hpp"

#include <gtest/gtest.h>

namespace varco::base {
namespace {

TEST(escape_html, escapes_all_five_characters) {
  EXPECT_EQ(escape_html("&"), "&amp;");
  EXPECT_EQ(escape_html("<"), "&lt;");
  EXPECT_EQ(escape_html(">"), "&gt;");
  EXPECT_EQ(escape_html("\""), "&quot;");
  EXPECT_EQ(escape_html("'"), "&#39;");
  EXPECT_EQ(escape_html("\"><script>alert('x')</script> & co"),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
}

TEST(escape_html, leaves_everything_else_alone) {
  EXPECT_EQ(escape_html(""), "");
  EXPECT_EQ(escape_html("Città di Valdoria / 2026 = ok"), "Città di Valdoria / 2026 = ok");
  EXPECT_EQ(escape_html("&amp;"), "&amp;amp;");  // not idempotent: escape once
}

}  // namespace
}  // namespace varco::base
