#include "jose/jwk.hpp"

#include "jose/ecdsa.hpp"
#include "jose/jws.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <string>

namespace varco::jose {
namespace {

base::openssl_ptr<EVP_PKEY> ec_key(const char* curve) {
  return base::openssl_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
}

boost::json::object public_json(const EVP_PKEY* key, std::string_view kid) {
  auto json = public_jwk_json(key, kid, "sig", "");
  EXPECT_TRUE(json);
  return json ? *json : boost::json::object{};
}

reason refusal(const boost::json::object& member) {
  auto key = parse_public_jwk(member);
  return key ? reason::internal_error : key.error().code;
}

TEST(jwk, an_ec_key_round_trips_through_its_json) {
  const auto key = ec_key("P-256");
  ASSERT_TRUE(key);
  auto read = parse_public_jwk(public_json(key.get(), "k1"));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->kid, "k1");
  EXPECT_EQ(read->use, "sig");
  EXPECT_EQ(EVP_PKEY_eq(read->key.get(), key.get()), 1);
}

TEST(jwk, private_members_are_refused) {
  auto member = public_json(ec_key("P-256").get(), "k");
  member["d"] = "AAAA";
  EXPECT_EQ(refusal(member), reason::jwk_private_refused);
  EXPECT_EQ(refusal({{"kty", "oct"}, {"k", "c2VjcmV0"}}), reason::jwk_private_refused);
}

TEST(jwk, a_point_off_the_curve_or_of_the_wrong_size_is_refused) {
  auto member = public_json(ec_key("P-256").get(), "k");
  std::string y(member["y"].as_string());
  y[5] = y[5] == 'A' ? 'B' : 'A';
  member["y"] = y;
  EXPECT_EQ(refusal(member), reason::jwk_malformed);
  member = public_json(ec_key("P-384").get(), "k");
  member["crv"] = "P-256";
  EXPECT_EQ(refusal(member), reason::jwk_malformed);
  member["crv"] = "secp256k1";
  EXPECT_EQ(refusal(member), reason::jwk_malformed);
  EXPECT_EQ(refusal({{"kty", "RSA"}, {"n", "AQAB"}}), reason::jwk_malformed);
  EXPECT_EQ(refusal({{"kty", "RSA"}, {"n", "AAEC"}, {"e", "AQAB"}}), reason::jwk_malformed);
  EXPECT_EQ(refusal({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}}), reason::jwk_malformed);
}

TEST(jwk_set, skips_key_types_varco_does_not_use_and_refuses_ambiguity) {
  const auto a = ec_key("P-256");
  const auto b = ec_key("P-384");
  boost::json::array keys{public_json(a.get(), "a"), public_json(b.get(), "b"),
                          boost::json::object{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "AAAA"}}};
  auto set = jwk_set::parse(boost::json::serialize(boost::json::object{{"keys", keys}}));
  ASSERT_TRUE(set);
  EXPECT_EQ(set->keys().size(), 2U);
  EXPECT_NE(set->find("b"), nullptr);
  EXPECT_EQ(set->find("c"), nullptr);

  keys.push_back(public_json(b.get(), "a"));
  set = jwk_set::parse(boost::json::serialize(boost::json::object{{"keys", keys}}));
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, reason::jwk_malformed);

  EXPECT_EQ(jwk_set::parse(R"({"keys":{}})").error().code, reason::jwk_malformed);
  EXPECT_EQ(jwk_set::parse(R"({"keys":[1]})").error().code, reason::jwk_malformed);
  EXPECT_EQ(jwk_set::parse(std::string(70000, ' ')).error().code, reason::token_too_large);
}

TEST(sign_jws, refuses_a_key_that_does_not_fit_the_algorithm) {
  const auto p256 = ec_key("P-256");
  auto token = sign_jws("{}", p256.get(), "RS256", "k");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, reason::key_mismatch);
  token = sign_jws("{}", p256.get(), "ES384", "k");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, reason::key_mismatch);
  token = sign_jws("{}", p256.get(), "HS256", "k");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, reason::alg_forbidden);
}

TEST(verify_jws, a_key_pinned_to_another_use_or_algorithm_is_not_used) {
  const auto key = ec_key("P-256");
  auto token = sign_jws(R"({"a":1})", key.get(), "ES256", "k");
  ASSERT_TRUE(token);
  for (auto [use, alg] : {std::pair{"enc", ""}, {"sig", "ES384"}}) {
    auto member = public_jwk_json(key.get(), "k", use, alg);
    ASSERT_TRUE(member);
    jwk_set set;
    set.add(parse_public_jwk(*member).value());
    auto v = verify_jws(*token, set, {});
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, reason::key_mismatch) << use << alg;
  }
  jwk_set set;
  set.add(parse_public_jwk(public_json(key.get(), "k")).value());
  auto v = verify_jws(*token, set, {});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->payload, R"({"a":1})");
  EXPECT_EQ(v->kid, "k");
}

TEST(jwk_thumbprint, matches_rfc_7638_example) {
  // RFC 7638 §3.1.
  const auto example =
      boost::json::parse(
          R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"})")
          .as_object();
  EXPECT_EQ(jwk_thumbprint(example), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_EQ(jwk_thumbprint({{"kty", "oct"}, {"k", "c2VjcmV0"}}), "");
  const auto key = ec_key("P-256");
  auto json = public_json(key.get(), "");
  EXPECT_EQ(jwk_thumbprint(json).size(), 43U);
  json["kid"] = "other";  // optional members do not count
  EXPECT_EQ(jwk_thumbprint(json), jwk_thumbprint(public_json(key.get(), "")));
}

TEST(ecdsa, der_and_jws_forms_convert_both_ways_with_padding) {
  // SEQUENCE { INTEGER 1, INTEGER 2 }
  const std::string der("\x30\x06\x02\x01\x01\x02\x01\x02", 8);
  const auto raw = ecdsa_der_to_jws(der, 32);
  ASSERT_EQ(raw.size(), 64U);
  EXPECT_EQ(raw[31], '\x01');
  EXPECT_EQ(raw[63], '\x02');
  EXPECT_EQ(raw.substr(0, 31), std::string(31, '\0'));
  EXPECT_EQ(ecdsa_jws_to_der(raw, 32), der);
  EXPECT_TRUE(ecdsa_der_to_jws("garbage", 32).empty());
  EXPECT_TRUE(ecdsa_jws_to_der(raw, 48).empty());  // 64 bytes are not a P-384 signature
}

}  // namespace
}  // namespace varco::jose
