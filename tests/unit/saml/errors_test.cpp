#include "saml/errors.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace varco::saml {
namespace {

TEST(reason_code, is_the_enumerator_name) {
  EXPECT_EQ(reason_code(reason::ok), "ok");
  EXPECT_EQ(reason_code(reason::signature_invalid), "signature_invalid");
  EXPECT_EQ(reason_code(reason::text_has_markup), "text_has_markup");
  EXPECT_EQ(reason_code(reason::redirect_sigalg_forbidden), "redirect_sigalg_forbidden");
  EXPECT_EQ(reason_code(reason::internal_error), "internal_error");
  EXPECT_EQ(reason_code(static_cast<reason>(100000)), "unknown");
}

TEST(reason_code, every_code_is_unique_snake_case) {
  std::set<std::string> seen;
  for (int i = 0; i <= static_cast<int>(reason::internal_error); ++i) {
    const std::string code(reason_code(static_cast<reason>(i)));
    ASSERT_FALSE(code.empty());
    EXPECT_NE(code, "unknown");
    for (char c : code)
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9')) << code;
    EXPECT_TRUE(seen.insert(code).second) << code;
  }
}

outcome<int> refuse() { return failure{reason::too_deep, "65 levels"}; }

TEST(outcome, carries_the_failure_and_throws_only_on_value) {
  auto r = refuse();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason::too_deep);
  EXPECT_EQ(to_string(r.error()), "too_deep: 65 levels");
  try {
    (void)r.value();
    FAIL() << "value() of a failure must throw";
  } catch (const failure_error& e) {
    EXPECT_EQ(e.what_failed().code, reason::too_deep);
    EXPECT_STREQ(e.what(), "too_deep: 65 levels");
  }
  outcome<void> fine;
  EXPECT_TRUE(fine);
}

// base64 refusals become the reasons a SAML message is refused with.
TEST(decode_base64, maps_base64_refusals_to_reasons) {
  EXPECT_EQ(*decode_base64("Zm9v\nYmFy", 6), "foobar");
  EXPECT_EQ(decode_base64("Zm9v!", 100).error().code, reason::bad_encoding);
  EXPECT_EQ(decode_base64("Zm9", 100).error().code, reason::bad_encoding);
  EXPECT_EQ(decode_base64("Zh==", 100).error().code, reason::bad_encoding);
  const auto large = decode_base64("Zm9vYmFy", 5);
  EXPECT_EQ(large.error().code, reason::message_too_large);
  EXPECT_EQ(large.error().detail, "6 bytes, at most 5");
}

}  // namespace
}  // namespace varco::saml
