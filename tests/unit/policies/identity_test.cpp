#include "policies/identity.hpp"

#include "policies/identity_token.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace varco::policies {
namespace {

using namespace std::chrono_literals;

TEST(user_uid, is_stable_and_uuid_shaped) {
  const auto a = user_uid("RSSMRA80A01H501U");
  EXPECT_EQ(a, user_uid("RSSMRA80A01H501U"));
  EXPECT_NE(a, user_uid("VRDLGU85B02F205X"));
  EXPECT_TRUE(std::regex_match(
      a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
}

struct fixture {
  session::session session;
  directory::party party;
  directory::membership membership;
  conf::product product;
  conf::environment environment;

  fixture() {
    session.attributes = {{"fiscalNumber", "RSSMRA80A01H501U"},
                          {"name", "Mario"},
                          {"familyName", "Rossi"},
                          {"email", "mario.rossi@example.it"}};
    party = {.id = "party-1",
             .name = "Comune di Valdoria",
             .type = "PA",
             .fiscal_code = "80012340123",
             .ipa_code = "c_v001"};
    membership.user_fiscal_number = "RSSMRA80A01H501U";
    membership.party_id = "party-1";
    membership.product_id = "prod-pagopa";
    membership.role = directory::party_role::manager;
    membership.product_role = "admin";
    product.id = "prod-pagopa";
    environment.id = "collaudo";
  }
};

TEST(build_identity, gathers_session_party_and_membership) {
  fixture f;
  const time_point expiry{1'800'000'000'000ms};
  const auto id =
      build_identity(f.session, f.party, f.membership, nullptr, f.product, f.environment, expiry);
  EXPECT_EQ(id.user_fiscal_number, "RSSMRA80A01H501U");
  EXPECT_EQ(id.user_name, "Mario");
  EXPECT_EQ(id.user_family_name, "Rossi");
  EXPECT_EQ(id.user_email, "mario.rossi@example.it");
  EXPECT_EQ(id.party_id, "party-1");
  EXPECT_EQ(id.party_name, "Comune di Valdoria");
  EXPECT_EQ(id.party_fiscal_code, "80012340123");
  EXPECT_EQ(id.party_ipa_code, "c_v001");
  EXPECT_EQ(id.party_type, "PA");
  EXPECT_EQ(id.party_role, directory::party_role::manager);
  EXPECT_EQ(id.product_role, "admin");
  EXPECT_EQ(id.product_id, "prod-pagopa");
  EXPECT_EQ(id.environment_id, "collaudo");
  EXPECT_EQ(id.session_expires_at, expiry);
  EXPECT_EQ(id.uid, user_uid("RSSMRA80A01H501U"));
}

// The e-mail in the claims: the work e-mail at the party acted for, else the SPID one.
TEST(user_email_for, prefers_the_work_email_at_the_party) {
  fixture f;
  const directory::person mario{
      "RSSMRA80A01H501U", "Mario", "Rossi", "", {{"party-1", "m.rossi@comune.example.it"}}};
  EXPECT_EQ(user_email_for(f.session, &mario, "party-1"), "m.rossi@comune.example.it");
  // Another party: no work e-mail there, so the SPID one (never party-1's).
  EXPECT_EQ(user_email_for(f.session, &mario, "party-2"), "mario.rossi@example.it");
  // No record in the directory, or no party: the SPID one.
  EXPECT_EQ(user_email_for(f.session, nullptr, "party-1"), "mario.rossi@example.it");
  EXPECT_EQ(user_email_for(f.session, &mario, ""), "mario.rossi@example.it");
}

TEST(user_email_for, the_persons_email_counts_at_every_party_without_its_own) {
  fixture f;
  const directory::person mario{"RSSMRA80A01H501U",
                                "Mario",
                                "Rossi",
                                "mario@ente.example.it",
                                {{"party-1", "m.rossi@comune.example.it"}}};
  EXPECT_EQ(user_email_for(f.session, &mario, "party-1"), "m.rossi@comune.example.it");
  EXPECT_EQ(user_email_for(f.session, &mario, "party-2"), "mario@ente.example.it");
  // Neither the directory nor the IdP: none.
  f.session.attributes.erase("email");
  EXPECT_EQ(user_email_for(f.session, nullptr, "party-1"), "");
}

TEST(build_identity, carries_the_work_email_into_headers_and_token) {
  fixture f;
  const directory::person mario{
      "RSSMRA80A01H501U", "Mario", "Rossi", "", {{"party-1", "m.rossi@comune.example.it"}}};
  const time_point now{1'700'000'000'000ms};
  const auto id =
      build_identity(f.session, f.party, f.membership, &mario, f.product, f.environment, now + 2h);
  EXPECT_EQ(id.user_email, "m.rossi@comune.example.it");
  const auto claims = identity_token_claims(id, "iss", "aud", now, 15min, "j");
  EXPECT_EQ(claims.at("email").as_string(), "m.rossi@comune.example.it");
}

TEST(identity_token_claims, follow_the_self_care_token) {
  fixture f;
  const time_point now{1'700'000'000'000ms};
  const auto id =
      build_identity(f.session, f.party, f.membership, nullptr, f.product, f.environment, now + 2h);
  const auto claims =
      identity_token_claims(id, "https://area.example.it", "pagopa-collaudo", now, 15min, "jti-1");
  const auto expected = boost::json::parse(R"({
    "iss": "https://area.example.it", "aud": "pagopa-collaudo",
    "sub": ")" + id.uid + R"(", "uid": ")" +
                                           id.uid + R"(",
    "iat": 1700000000, "exp": 1700000900, "jti": "jti-1", "typ": "ID",
    "desired_exp": 1700007200,
    "fiscal_number": "RSSMRA80A01H501U", "name": "Mario", "family_name": "Rossi",
    "email": "mario.rossi@example.it",
    "organization": {"id": "party-1", "name": "Comune di Valdoria", "fiscal_code": "80012340123",
                     "ipaCode": "c_v001",
                     "roles": [{"partyRole": "MANAGER", "role": "admin", "productId": "prod-pagopa"}]},
    "environment": "collaudo"})");
  EXPECT_EQ(boost::json::value(claims), expected) << boost::json::serialize(claims);
}

TEST(identity_token_claims, exp_is_capped_at_session_expiry) {
  fixture f;
  const time_point now{1'700'000'000'000ms};
  const auto id = build_identity(f.session, f.party, f.membership, nullptr, f.product,
                                 f.environment, now + 5min);
  const auto claims = identity_token_claims(id, "iss", "aud", now, 15min, "j");
  EXPECT_EQ(claims.at("exp").as_int64(), 1'700'000'300);
  EXPECT_EQ(claims.at("desired_exp").as_int64(), 1'700'000'300);
  EXPECT_EQ(identity_token_expiry(id, now, 15min), now + 5min);
}

}  // namespace
}  // namespace varco::policies
