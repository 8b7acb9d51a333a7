#include "policies/claim_headers.hpp"

#include <gtest/gtest.h>

namespace varco::policies {
namespace {

conf::claims default_claims() {
  conf::claims c;
  c.header_names = {{conf::claim::user_fiscal_number, "X-Varco-User-Fiscal-Number"},
                    {conf::claim::user_name, "X-Varco-User-Name"},
                    {conf::claim::party_id, "X-Varco-Party-Id"},
                    {conf::claim::party_role, "X-Varco-Party-Role"},
                    {conf::claim::product_role, "X-Varco-Product-Role"},
                    {conf::claim::environment, "X-Varco-Environment"}};
  return c;
}

struct namespace_case {
  const char* header;
  bool replace_authorization;
  bool stripped;
};

TEST(in_claims_namespace, table) {
  const namespace_case cases[] = {
      {"X-Varco-User", false, true},
      {"x-varco-user", false, true},
      {"x_varco_user", false, true},
      {"X_VARCO-USER", false, true},
      {"X-VARCO_Party-Id", false, true},
      {"X-Varco-", false, true},
      {"X-Varco", false, false},
      {"X-Varcoo-User", false, false},
      {"Varco-User", false, false},
      {"X-Varco-Identity-Token", false, true},
      {"x_varco_identity_token", false, true},
      {"Authorization", false, false},
      {"Authorization", true, true},
      {"authorization", true, true},
      {"Proxy-Authorization", true, false},
      {"Host", true, false},
  };
  for (const auto& c : cases) {
    auto claims = default_claims();
    claims.replace_authorization = c.replace_authorization;
    EXPECT_EQ(in_claims_namespace(c.header, claims), c.stripped)
        << c.header << " replace_authorization=" << c.replace_authorization;
  }
}

TEST(in_claims_namespace, token_header_outside_the_namespace) {
  auto claims = default_claims();
  claims.token_header = "X-Identity-Token";
  EXPECT_TRUE(in_claims_namespace("x_identity_token", claims));
  EXPECT_FALSE(in_claims_namespace("X-Identity-Token-2", claims));
  claims.token_header = "Authorization";  // token sent as Authorization: Bearer …
  EXPECT_TRUE(in_claims_namespace("AUTHORIZATION", claims));
}

TEST(in_claims_namespace, empty_namespace_matches_nothing) {
  conf::claims claims;
  claims.header_namespace = "";
  claims.token_header = "";
  EXPECT_FALSE(in_claims_namespace("X-Anything", claims));
  EXPECT_FALSE(in_claims_namespace("", claims));
}

identity sample_identity() {
  identity id;
  id.user_fiscal_number = "RSSMRA80A01H501U";
  id.user_name = "Mario";
  id.party_id = "party-1";
  id.party_role = directory::party_role::sub_delegate;
  id.product_role = "admin";
  id.environment_id = "collaudo";
  return id;
}

TEST(claim_headers, one_header_per_configured_claim) {
  const auto headers = claim_headers(sample_identity(), default_claims());
  const std::vector<std::pair<std::string, std::string>> expected{
      {"X-Varco-User-Fiscal-Number", "RSSMRA80A01H501U"},
      {"X-Varco-User-Name", "Mario"},
      {"X-Varco-Party-Id", "party-1"},
      {"X-Varco-Party-Role", "SUB_DELEGATE"},
      {"X-Varco-Product-Role", "admin"},
      {"X-Varco-Environment", "collaudo"},
  };
  EXPECT_EQ(headers, expected);
}

TEST(claim_headers, values_cannot_inject_header_lines) {
  auto id = sample_identity();
  id.user_name = "Mario\r\nX-Varco-Party-Role: MANAGER";
  id.party_id = std::string("p\0a\tb\x7f", 6);
  const auto headers = claim_headers(id, default_claims());
  EXPECT_EQ(headers[1].second, "MarioX-Varco-Party-Role: MANAGER");
  EXPECT_EQ(headers[2].second, "pab");
  for (const auto& [name, value] : headers) {
    EXPECT_EQ(value.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << name;
  }
}

TEST(sanitize_header_value, keeps_utf8_and_drops_c1_controls) {
  EXPECT_EQ(sanitize_header_value("Niccolò Città"), "Niccolò Città");
  EXPECT_EQ(sanitize_header_value("a\xc2\x85"
                                  "b"),
            "ab");                                           // NEL
  EXPECT_EQ(sanitize_header_value("\xc2\xa0"), "\xc2\xa0");  // no-break space stays
}

}  // namespace
}  // namespace varco::policies
