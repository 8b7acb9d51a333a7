#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::conf::testing {
namespace {

class claims_override : public conf_fixture {};

TEST_F(claims_override, product_claims_merge_field_by_field_over_global) {
  auto outcome = load(std::string(minimal_jwt) +
                      "claims:\n"
                      "  headers:\n"
                      "    user_name: X-Varco-Nome\n"
                      "    party_id: X-Varco-Ente\n"
                      "  token_scheme: Bearer\n"
                      "products:\n"
                      "  - id: p\n"
                      "    title: P\n"
                      "    path_prefix: /p\n"
                      "    claims:\n"
                      "      headers:\n"
                      "        party_id: X-Varco-Org-Id\n"
                      "      token_header: Authorization\n"
                      "      replace_authorization: true\n"
                      "    environments: [{ id: e, upstreams: ['http://x'] }]\n"
                      "  - id: q\n"
                      "    title: Q\n"
                      "    path_prefix: /q\n"
                      "    environments: [{ id: e, upstreams: ['http://x'] }]\n");
  for (const auto& e : outcome.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(outcome.value);
  const config& c = *outcome.value;

  EXPECT_EQ(c.claims.header_names.at(claim::user_name), "X-Varco-Nome");
  EXPECT_EQ(c.claims.header_names.at(claim::party_id), "X-Varco-Ente");
  EXPECT_EQ(c.claims.header_names.at(claim::product), "X-Varco-Product");
  EXPECT_EQ(c.claims.token_header, "X-Varco-Identity-Token");
  EXPECT_FALSE(c.claims.replace_authorization);

  const claims& p = c.products.at(0).claims;
  EXPECT_EQ(p.header_names.size(), claim_count);
  EXPECT_EQ(p.header_names.at(claim::user_name), "X-Varco-Nome");         // from global
  EXPECT_EQ(p.header_names.at(claim::party_id), "X-Varco-Org-Id");        // product override
  EXPECT_EQ(p.header_names.at(claim::party_type), "X-Varco-Party-Type");  // default
  EXPECT_EQ(p.token_header, "Authorization");  // token header may live outside the namespace
  EXPECT_EQ(p.token_scheme, "Bearer");         // from global
  EXPECT_TRUE(p.replace_authorization);
  EXPECT_EQ(p.header_namespace, "X-Varco-");

  const claims& q = c.products.at(1).claims;
  EXPECT_EQ(q.header_names, c.claims.header_names);
  EXPECT_EQ(q.token_header, c.claims.token_header);
  EXPECT_EQ(q.token_scheme, "Bearer");
}

TEST_F(claims_override, a_product_namespace_is_checked_against_inherited_headers) {
  auto errors = errors_of(std::string(minimal_jwt) +
                          "claims:\n"                                     // 4
                          "  headers: { user_name: X-Acme-Name }\n"       // 5
                          "products:\n"                                   // 6
                          "  - id: p\n"                                   // 7
                          "    title: P\n"                                // 8
                          "    path_prefix: /p\n"                         // 9
                          "    claims:\n"                                 // 10
                          "      header_namespace: X-Acme-\n"             // 11
                          "      headers: { user_email: X-Acme-Mail }\n"  // 12
                          "    environments: [{ id: e, upstreams: ['http://x'] }]\n");
  // The global error is reported once, at the global line; the product's namespace is reported
  // for each inherited header it leaves outside (here all but user_name and user_email).
  ASSERT_EQ(errors.size(), 1u + (claim_count - 2));
  EXPECT_EQ(errors[0],
            "varco.yaml:5: claims.headers.user_name: \"X-Acme-Name\" is outside header_namespace "
            "\"X-Varco-\" (clients could send it)");
  EXPECT_EQ(errors[1],
            "varco.yaml:11: products[0].claims.header_namespace: claim header "
            "\"X-Varco-User-Fiscal-Number\" (user_fiscal_number) is outside \"X-Acme-\"");
  for (const auto& e : errors) {
    EXPECT_EQ(e.find("user_email"), std::string::npos) << e;
  }
}

TEST_F(claims_override, header_names_compare_like_the_gateway_strips) {
  auto errors = errors_of(std::string(minimal_jwt) +
                          "claims:\n"
                          "  headers:\n"
                          "    party_name: x_varco_party_id\n" +  // line 6
                          minimal_products);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "varco.yaml:6: claims.headers.party_name: \"x_varco_party_id\" is also the header of "
            "party_id");
}

}  // namespace
}  // namespace varco::conf::testing
