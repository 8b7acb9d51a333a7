// varco's own Entity Configuration, enrolled by a trust anchor played by npm jose: the anchor
// verifies it and issues a statement about varco, and the resulting chain resolves in varco.
#include "federation/entity_configuration.hpp"

#include "federation/entity_statement.hpp"
#include "federation/trust_chain.hpp"
#include "jose/jwk.hpp"
#include "tests/tools/jose-peer/run_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace varco::federation {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view rp = "https://rp.varco.test";

struct rp_keys {
  base::openssl_ptr<EVP_PKEY> current{EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})};
  base::openssl_ptr<EVP_PKEY> next{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
  boost::json::array jwks() const {
    return {jose::public_jwk_json(current.get(), "fed-1", "sig", "").value(),
            jose::public_jwk_json(next.get(), "fed-2", "sig", "").value()};
  }
};

entity_configuration relying_party(const rp_keys& keys) {
  entity_configuration c;
  c.entity_id = rp;
  c.authority_hints = {"https://ta.fed.test"};
  c.metadata = boost::json::parse(R"({"openid_relying_party":{
      "client_id":"https://rp.varco.test","client_name":"varco",
      "redirect_uris":["https://rp.varco.test/oidc/callback"],
      "grant_types":["authorization_code","refresh_token","implicit"],
      "response_types":["code"]}})")
                   .as_object();
  c.federation_jwks = keys.jwks();
  c.lifetime = std::chrono::hours(1);
  return c;
}

TEST(entity_configuration, is_self_signed_and_reads_back) {
  const rp_keys keys;
  const auto now = std::chrono::system_clock::now();
  auto token =
      sign_entity_configuration(relying_party(keys), keys.current.get(), "RS256", "fed-1", now);
  ASSERT_TRUE(token) << token.error().detail;
  auto unverified = read_statement(*token);
  ASSERT_TRUE(unverified);
  EXPECT_TRUE(unverified->is_configuration());
  EXPECT_EQ(unverified->jwks.keys().size(), 2U);
  auto verified = verify_statement(*token, unverified->jwks, now);
  ASSERT_TRUE(verified) << verified.error().detail;
  EXPECT_EQ(verified->sub, rp);
  EXPECT_EQ(verified->authority_hints, std::vector<std::string>{"https://ta.fed.test"});
  EXPECT_EQ(verified->exp - verified->iat, std::chrono::hours(1));

  // The signing key must be one it publishes.
  auto unpublished =
      sign_entity_configuration(relying_party(keys), keys.current.get(), "RS256", "fed-9", now);
  ASSERT_FALSE(unpublished);
  EXPECT_EQ(unpublished.error().code, reason::internal_error);
}

TEST(entity_configuration, a_trust_anchor_enrolls_it_and_the_chain_resolves) {
  const rp_keys keys;
  const auto now = std::chrono::system_clock::now();
  auto token =
      sign_entity_configuration(relying_party(keys), keys.next.get(), "ES256", "fed-2", now);
  ASSERT_TRUE(token);
  const fs::path file =
      fs::temp_directory_path() / ("varco-ec-" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << boost::json::serialize(
      boost::json::object{{"entity_configuration", *token}});
  const auto enrolled =
      boost::json::parse(test::run_jose_peer("enroll '" + file.string() + "'")).as_object();
  fs::remove(file);
  ASSERT_EQ(enrolled.at("verified"), "ok");
  EXPECT_EQ(enrolled.at("alg"), "ES256");

  std::vector<trust_anchor> anchors(1);
  anchors[0].entity_id = std::string(enrolled.at("anchor").at("entity_id").as_string());
  anchors[0].keys =
      jose::jwk_set::parse(boost::json::serialize(enrolled.at("anchor").at("jwks"))).value();
  std::vector<std::string> chain;
  for (const auto& s : enrolled.at("chain").as_array()) chain.emplace_back(s.as_string());
  chain_request request;
  request.entity_type = "openid_relying_party";
  request.now = now;
  auto resolved = validate_chain(chain, anchors, request);
  ASSERT_TRUE(resolved) << resolved.error().detail;
  EXPECT_EQ(resolved->entity_id, rp);
  // The anchor's policy took "implicit" away and fixed the registration type.
  EXPECT_EQ(resolved->metadata.at("grant_types"),
            boost::json::array({"authorization_code", "refresh_token"}));
  EXPECT_EQ(resolved->metadata.at("client_registration_types"), boost::json::array({"automatic"}));
}

}  // namespace
}  // namespace varco::federation
