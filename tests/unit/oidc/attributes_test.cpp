// OpenID Connect claims to the SPID attribute names of the sessions.
#include "oidc/attributes.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace varco::oidc {
namespace {

constexpr std::string_view spid_fiscal = "https://attributes.eid.gov.it/fiscal_number";

boost::json::object claims(std::string_view json) { return boost::json::parse(json).as_object(); }

TEST(session_attributes, spid_claims_become_the_saml_attribute_names) {
  const auto out = session_attributes(
      claims(R"({"sub":"x","given_name":"Mario","family_name":"Rossi","email":"m@e.it",
                 "phone_number":"+39333","birthdate":"1980-01-01",
                 "https://attributes.eid.gov.it/spid_code":"ABCD123",
                 "https://attributes.eid.gov.it/fiscal_number":"TINIT-RSSMRA80A01H501U"})"),
      spid_fiscal);
  EXPECT_EQ(out.at("name"), "Mario");
  EXPECT_EQ(out.at("familyName"), "Rossi");
  EXPECT_EQ(out.at("email"), "m@e.it");
  EXPECT_EQ(out.at("mobilePhone"), "+39333");
  EXPECT_EQ(out.at("dateOfBirth"), "1980-01-01");
  EXPECT_EQ(out.at("spidCode"), "ABCD123");
  EXPECT_EQ(out.at("fiscalNumber"), "RSSMRA80A01H501U");  // TINIT- taken off
  EXPECT_FALSE(out.contains("sub"));
}

TEST(session_attributes, a_broker_may_send_the_bare_fiscal_number_under_its_own_claim) {
  const auto out =
      session_attributes(claims(R"({"fiscal_number":"RSSMRA80A01H501U"})"), "fiscal_number");
  EXPECT_EQ(out.at("fiscalNumber"), "RSSMRA80A01H501U");
}

TEST(session_attributes, claims_that_are_not_strings_or_empty_are_left_out) {
  const auto out = session_attributes(claims(R"({"given_name":42,"family_name":"","email":null,
                 "https://attributes.eid.gov.it/fiscal_number":"TINIT-"})"),
                                      spid_fiscal);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace varco::oidc
