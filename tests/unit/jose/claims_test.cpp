#include "jose/claims.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>

namespace varco::jose {
namespace {

using namespace std::chrono_literals;

const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

claim_expectations expected() {
  claim_expectations e;
  e.issuer = "https://op.test";
  e.audience = "https://rp.test";
  e.now = now;
  e.skew = 60s;
  return e;
}

reason refusal(std::string_view json, claim_expectations e = expected()) {
  auto ok = check_claims(boost::json::parse(json).as_object(), e);
  return ok ? reason::internal_error : ok.error().code;
}

constexpr std::string_view good =
    R"({"iss":"https://op.test","aud":"https://rp.test","iat":1800000000,"exp":1800000300})";

TEST(check_claims, accepts_a_current_token_for_us) {
  EXPECT_TRUE(check_claims(boost::json::parse(good).as_object(), expected()));
  EXPECT_TRUE(check_claims(
      boost::json::parse(
          R"({"iss":"https://op.test","aud":["https://rp.test"],"iat":1.8e9,"exp":1800000300.5})")
          .as_object(),
      expected()));
}

TEST(check_claims, issuer_and_audience_must_be_ours) {
  EXPECT_EQ(refusal(R"({"aud":"https://rp.test","iat":1800000000,"exp":1800000300})"),
            reason::claim_missing);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test/","aud":"https://rp.test","iat":1800000000,"exp":1800000300})"),
      reason::issuer_mismatch);
  EXPECT_EQ(
      refusal(
          R"({"iss":["https://op.test"],"aud":"https://rp.test","iat":1800000000,"exp":1800000300})"),
      reason::issuer_mismatch);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":"https://other.test","iat":1800000000,"exp":1800000300})"),
      reason::audience_mismatch);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":["https://rp.test",7],"iat":1800000000,"exp":1800000300})"),
      reason::audience_mismatch);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":["https://rp.test","https://b.test"],"iat":1800000000,"exp":1800000300})"),
      reason::audience_mismatch);  // several audiences and no azp
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":["https://rp.test","https://b.test"],"azp":"https://b.test","iat":1800000000,"exp":1800000300})"),
      reason::audience_mismatch);
}

TEST(check_claims, times_are_read_with_the_skew_and_nothing_else) {
  EXPECT_EQ(refusal(R"({"iss":"https://op.test","aud":"https://rp.test","iat":1800000000})"),
            reason::claim_missing);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":"https://rp.test","iat":1799990000,"exp":1799999940})"),
      reason::expired);  // exactly at exp + skew
  EXPECT_TRUE(check_claims(
      boost::json::parse(
          R"({"iss":"https://op.test","aud":"https://rp.test","iat":1799990000,"exp":1799999941})")
          .as_object(),
      expected()));
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":"https://rp.test","iat":1800000000,"exp":1800000300,"nbf":1800000061})"),
      reason::not_yet_valid);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":"https://rp.test","iat":1800000061,"exp":1800000300})"),
      reason::issued_in_future);
  EXPECT_EQ(
      refusal(
          R"({"iss":"https://op.test","aud":"https://rp.test","iat":1800000000,"exp":"1800000300"})"),
      reason::claim_malformed);
  EXPECT_EQ(
      refusal(R"({"iss":"https://op.test","aud":"https://rp.test","iat":-1,"exp":1800000300})"),
      reason::claim_malformed);
  EXPECT_EQ(refusal(R"({"iss":"https://op.test","aud":"https://rp.test","exp":1800000300})"),
            reason::claim_missing);
  auto lenient = expected();
  lenient.require_iat = false;
  EXPECT_TRUE(check_claims(
      boost::json::parse(R"({"iss":"https://op.test","aud":"https://rp.test","exp":1800000300})")
          .as_object(),
      lenient));
}

TEST(parse_claims, the_payload_is_one_json_object) {
  EXPECT_TRUE(parse_claims(R"({"a":1})"));
  EXPECT_EQ(parse_claims("[]").error().code, reason::payload_malformed);
  EXPECT_EQ(parse_claims("{").error().code, reason::payload_malformed);
  EXPECT_EQ(parse_claims("").error().code, reason::payload_malformed);
}

}  // namespace
}  // namespace varco::jose
