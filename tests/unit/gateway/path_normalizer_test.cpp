#include "gateway/http/path_normalizer.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {
namespace {

struct normalize_case {
  std::string_view input;
  std::optional<std::string_view> expected;  // nullopt: error
  path_errc error = path_errc::not_origin_form;
};

void PrintTo(const normalize_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class normalize_test : public ::testing::TestWithParam<normalize_case> {};

TEST_P(normalize_test, table) {
  const auto& c = GetParam();
  const auto r = normalize_path(c.input);
  if (c.expected) {
    ASSERT_TRUE(r.has_value()) << c.input << " → " << r.error().message();
    EXPECT_EQ(*r, *c.expected) << c.input;
  } else {
    ASSERT_FALSE(r.has_value()) << c.input << " → " << *r;
    EXPECT_EQ(r.error(), make_error_code(c.error)) << c.input;
  }
}

constexpr auto err = std::nullopt;

INSTANTIATE_TEST_SUITE_P(
    cases, normalize_test,
    ::testing::Values(
        // Plain and trailing slashes.
        normalize_case{"/", "/"}, normalize_case{"/a", "/a"}, normalize_case{"/a/", "/a/"},
        normalize_case{"/a/b/c", "/a/b/c"},
        // Dot segments (RFC 3986 5.2.4).
        normalize_case{"/a/./b/../c", "/a/c"}, normalize_case{"/a/b/..", "/a/"},
        normalize_case{"/a/b/.", "/a/b/"}, normalize_case{"/./a", "/a"}, normalize_case{"/..", "/"},
        normalize_case{"/../../etc/passwd", "/etc/passwd"}, normalize_case{"/a/../../b", "/b"},
        normalize_case{"/a/..b/c", "/a/..b/c"}, normalize_case{"/a/.b", "/a/.b"},
        normalize_case{"/a/b...", "/a/b..."},
        // Duplicate slashes.
        normalize_case{"//a///b", "/a/b"}, normalize_case{"//", "/"}, normalize_case{"/a//", "/a/"},
        normalize_case{"/a//../b", "/b"},
        // Decoding of unreserved characters, including dots that then form dot segments.
        normalize_case{"/%61dmin", "/admin"}, normalize_case{"/%2e%2e/admin", "/admin"},
        normalize_case{"/a/%2E%2E/b", "/b"}, normalize_case{"/a/%2e/b", "/a/b"},
        normalize_case{"/%7e%5F%2D%30", "/~_-0"}, normalize_case{"/pagopa/%2e%2e/other", "/other"},
        // Other escapes kept, hex upper-cased.
        normalize_case{"/a%20b", "/a%20b"}, normalize_case{"/a%3bb", "/a%3Bb"},
        normalize_case{"/%c3%a8", "/%C3%A8"}, normalize_case{"/100%25", "/100%25"},
        normalize_case{"/%252e%252e/x", "/%252e%252e/x"},
        // Raw bytes that are not path characters are escaped, path characters kept.
        normalize_case{"/a b", "/a%20b"}, normalize_case{"/\xc3\xa8", "/%C3%A8"},
        normalize_case{"/a\"<>", "/a%22%3C%3E"}, normalize_case{"/a:b@c;d=e,f", "/a:b@c;d=e,f"},
        normalize_case{"/a?b", "/a%3Fb"},
        // Not origin-form.
        normalize_case{"", err, path_errc::not_origin_form},
        normalize_case{"a/b", err, path_errc::not_origin_form},
        normalize_case{"*", err, path_errc::not_origin_form},
        normalize_case{"http://x/a", err, path_errc::not_origin_form},
        // Encoded separators.
        normalize_case{"/a%2fb", err, path_errc::encoded_separator},
        normalize_case{"/a/%2E%2E%2F", err, path_errc::encoded_separator},
        normalize_case{"/a%5Cb", err, path_errc::encoded_separator},
        normalize_case{"/a\\b", err, path_errc::encoded_separator},
        normalize_case{"/..\\admin", err, path_errc::encoded_separator},
        // Control characters, raw and encoded.
        normalize_case{"/a%00", err, path_errc::control_character},
        normalize_case{"/a%0d%0aX-Evil:1", err, path_errc::control_character},
        normalize_case{"/a%1F", err, path_errc::control_character},
        normalize_case{"/a%7f", err, path_errc::control_character},
        normalize_case{std::string_view("/a\0b", 4), err, path_errc::control_character},
        normalize_case{"/a\tb", err, path_errc::control_character},
        normalize_case{"/a\x7f", err, path_errc::control_character},
        // Bad escapes.
        normalize_case{"/%G1", err, path_errc::bad_escape},
        normalize_case{"/a%", err, path_errc::bad_escape},
        normalize_case{"/a%4", err, path_errc::bad_escape},
        normalize_case{"/a%%41", err, path_errc::bad_escape},
        // Servlet path parameters on dot segments.
        normalize_case{"/a/..;/admin", err, path_errc::ambiguous_segment},
        normalize_case{"/a/.;x/b", err, path_errc::ambiguous_segment},
        normalize_case{"/a/b;jsessionid=1", "/a/b;jsessionid=1"}));

TEST(split_target, splits_at_first_question_mark) {
  auto t = split_target("/a/b?x=1&y=?2");
  EXPECT_EQ(t.path, "/a/b");
  EXPECT_EQ(t.query, "x=1&y=?2");
  EXPECT_TRUE(t.has_query);

  t = split_target("/a");
  EXPECT_EQ(t.path, "/a");
  EXPECT_EQ(t.query, "");
  EXPECT_FALSE(t.has_query);

  t = split_target("/a?");
  EXPECT_EQ(t.path, "/a");
  EXPECT_TRUE(t.has_query);
  EXPECT_TRUE(t.query.empty());
}

TEST(split_target, then_normalize_matches_what_the_policy_sees) {
  const auto t = split_target("/pagopa/./x/%2e%2e/y?token=secret");
  const auto p = normalize_path(t.path);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "/pagopa/y");
}

TEST(path_errc, reason_codes_are_stable) {
  EXPECT_EQ(reason_code(path_errc::not_origin_form), "path_not_origin_form");
  EXPECT_EQ(reason_code(path_errc::bad_escape), "path_bad_escape");
  EXPECT_EQ(reason_code(path_errc::encoded_separator), "path_encoded_separator");
  EXPECT_EQ(reason_code(path_errc::control_character), "path_control_character");
  EXPECT_EQ(reason_code(path_errc::ambiguous_segment), "path_ambiguous_segment");
  const boost::system::error_code ec = path_errc::bad_escape;
  EXPECT_EQ(ec.category().name(), std::string("varco.path"));
  EXPECT_EQ(ec.message(), "path_bad_escape");
}

// Every path of up to 7 characters over an alphabet that makes dot segments, empty segments,
// escapes, ';' and characters to re-encode: the shortcut for paths already in normal form and the
// general path give the same answer, error or string.
TEST(normalize_path, shortcut_agrees_with_the_general_path) {
  constexpr std::string_view alphabet = "/.a;%2e ";
  std::size_t shortcut_taken = 0;
  std::string path;
  auto check = [&](auto&& self, std::size_t depth) -> void {
    const auto fast = normalize_path(path);
    const auto general = detail::normalize_path_general(path);
    ASSERT_EQ(fast.has_value(), general.has_value()) << path;
    if (fast) {
      ASSERT_EQ(*fast, *general) << path;
      if (*fast == path) ++shortcut_taken;
    } else {
      ASSERT_EQ(fast.error(), general.error()) << path;
    }
    if (depth == 0) return;
    for (const char c : alphabet) {
      path.push_back(c);
      self(self, depth - 1);
      path.pop_back();
    }
  };
  path = "/";
  check(check, 6);
  EXPECT_GT(shortcut_taken, 1000U);  // the walk reaches plenty of already-normal paths
}

}  // namespace
}  // namespace varco::gateway
