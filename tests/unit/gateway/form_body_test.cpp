// application/x-www-form-urlencoded bodies of the login endpoints.
#include "gateway/http/form_body.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

TEST(form_body, decodes_fields) {
  auto form = parse_form("SAMLResponse=PHg%2B%0A&RelayState=abc+def&empty=&flag");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->at("SAMLResponse"), "PHg+\n");
  EXPECT_EQ(form->at("RelayState"), "abc def");
  EXPECT_EQ(form->at("empty"), "");
  EXPECT_EQ(form->at("flag"), "");
}

TEST(form_body, malformed_or_duplicated_fields_are_refused) {
  EXPECT_FALSE(parse_form("a=%zz"));
  EXPECT_FALSE(parse_form("a=%4"));
  EXPECT_FALSE(parse_form("a=%"));
  // Two SAMLResponse values: which one would be validated and which one used? Neither.
  EXPECT_FALSE(parse_form("SAMLResponse=a&SAMLResponse=b"));
  EXPECT_FALSE(parse_form("RelayState=a&Relay%53tate=b"));
}

TEST(form_body, empty_pairs_are_skipped) {
  auto form = parse_form("&&a=1&");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->size(), 1u);
}

}  // namespace
}  // namespace varco::gateway
