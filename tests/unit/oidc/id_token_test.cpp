// ID Tokens made by npm jose, judged as a SPID login asking for SpidL2 judges them.
#include "oidc/id_token.hpp"

#include "tests/tools/jose-peer/run_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace varco::oidc {
namespace {

constexpr std::string_view issuer = "https://op.peer.test";
constexpr std::string_view client = "https://rp.varco.test";

id_token_expectations spid_level_2() {
  id_token_expectations e;
  e.issuer = issuer;
  e.client_id = client;
  e.nonce = "n-0S6";
  e.acr_order = spid_acr_order();
  e.minimum_acr = "https://www.spid.gov.it/SpidL2";
  e.algorithms = {"RS256", "ES256"};
  e.now = std::chrono::system_clock::now();
  return e;
}

TEST(id_token, every_token_of_the_peer_gets_its_verdict) {
  const auto peer = boost::json::parse(test::run_jose_peer("id-tokens '" + std::string(issuer) +
                                                           "' '" + std::string(client) + "'"))
                        .as_object();
  auto keys = jose::jwk_set::parse(boost::json::serialize(peer.at("jwks")));
  ASSERT_TRUE(keys);
  std::size_t accepted = 0;
  for (const auto& item : peer.at("tokens").as_array()) {
    const auto& c = item.as_object();
    auto claims = validate_id_token(c.at("token").as_string(), *keys, spid_level_2());
    const std::string verdict = claims ? "ok" : std::string(reason_code(claims.error().code));
    EXPECT_EQ(verdict, c.at("expect").as_string()) << c.at("name").as_string();
    if (claims) {
      ++accepted;
      EXPECT_EQ(claims->at("sub"), "TINIT-RSSMRA80A01H501U");
    }
  }
  EXPECT_EQ(accepted, 2U);

  // Without a minimum level the level is not looked at; without a nonce nothing passes.
  auto any_level = spid_level_2();
  any_level.minimum_acr.clear();
  const auto& level_1 = peer.at("tokens").as_array()[2].as_object();
  ASSERT_EQ(level_1.at("name"), "level_1");
  EXPECT_TRUE(validate_id_token(level_1.at("token").as_string(), *keys, any_level));
  any_level.nonce.clear();
  EXPECT_EQ(validate_id_token(level_1.at("token").as_string(), *keys, any_level).error().code,
            reason::nonce_mismatch);
}

TEST(oidc_reasons, keep_the_jose_code_of_a_refused_token) {
  const jose::failure f{jose::reason::alg_hmac, "HS256"};
  EXPECT_EQ(reason_code(from_jose(f).code), "alg_hmac");
  EXPECT_EQ(reason_code(from_jose({jose::reason::internal_error, {}}).code), "internal_error");
  EXPECT_EQ(reason_code(reason::acr_insufficient), "acr_insufficient");
}

}  // namespace
}  // namespace varco::oidc
