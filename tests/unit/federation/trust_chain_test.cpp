// Trust chains made by an independent implementation (npm jose signs every statement): a valid
// chain resolves to the OpenID Provider's metadata with the superiors' policies applied; each
// broken one is refused with its reason.
#include "federation/trust_chain.hpp"

#include "base/base64.hpp"
#include "federation/entity_statement.hpp"
#include "tests/tools/jose-peer/run_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace varco::federation {
namespace {

class trust_chain : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    peer = boost::json::parse(test::run_jose_peer("federation")).as_object();
  }
  static boost::json::object peer;

  static std::vector<trust_anchor> anchors() {
    std::vector<trust_anchor> out(1);
    const auto& a = peer.at("anchor").as_object();
    out[0].entity_id = std::string(a.at("entity_id").as_string());
    out[0].keys = jose::jwk_set::parse(boost::json::serialize(a.at("jwks"))).value();
    return out;
  }
  static chain_request request() {
    chain_request r;
    r.entity_type = "openid_provider";
    r.required_trust_marks = {std::string(peer.at("trust_mark_type").as_string())};
    r.now = std::chrono::system_clock::now();
    return r;
  }
  static std::vector<std::string> chain_of(const boost::json::object& c) {
    std::vector<std::string> out;
    for (const auto& s : c.at("chain").as_array()) out.emplace_back(s.as_string());
    return out;
  }
  static const boost::json::object& named(std::string_view name) {
    for (const auto& c : peer.at("cases").as_array())
      if (c.as_object().at("name").as_string() == name) return c.as_object();
    throw std::runtime_error("no case " + std::string(name));
  }
};
boost::json::object trust_chain::peer;

TEST_F(trust_chain, every_chain_gets_its_verdict) {
  const auto a = anchors();
  for (const auto& item : peer.at("cases").as_array()) {
    const auto& c = item.as_object();
    auto resolved = validate_chain(chain_of(c), a, request());
    const std::string verdict = resolved ? "ok" : std::string(reason_code(resolved.error().code));
    EXPECT_EQ(verdict, c.at("expect").as_string())
        << c.at("name").as_string() << (resolved ? "" : " — " + resolved.error().detail);
  }
}

TEST_F(trust_chain, the_valid_chain_resolves_the_metadata_with_every_policy_applied) {
  auto resolved = validate_chain(chain_of(named("valid")), anchors(), request());
  ASSERT_TRUE(resolved) << resolved.error().detail;
  EXPECT_EQ(resolved->entity_id, "https://op.fed.test");
  EXPECT_EQ(resolved->trust_anchor, "https://ta.fed.test");
  const auto& m = resolved->metadata;
  // The intermediate narrows the client authentication, the anchor the signing algorithms.
  EXPECT_EQ(m.at("token_endpoint_auth_methods_supported"), boost::json::array({"private_key_jwt"}));
  EXPECT_EQ(m.at("id_token_signing_alg_values_supported"), boost::json::array({"RS256", "RS512"}));
  EXPECT_EQ(m.at("contacts"), boost::json::array({"ops@ta.fed.test"}));
  EXPECT_EQ(m.at("issuer"), "https://op.fed.test");
  const auto in_an_hour = std::chrono::system_clock::now() + std::chrono::minutes(61);
  EXPECT_LT(resolved->expires, in_an_hour);
  EXPECT_GT(resolved->expires, std::chrono::system_clock::now());
}

TEST_F(trust_chain, the_chain_expires_with_its_statements_and_needs_a_configured_anchor) {
  auto r = request();
  r.now += std::chrono::hours(2);
  auto late = validate_chain(chain_of(named("valid")), anchors(), r);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, reason::statement_expired);

  auto none = validate_chain(chain_of(named("valid")), {}, request());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, reason::chain_untrusted);

  auto chain = chain_of(named("valid"));
  chain.erase(chain.begin() + 1);  // the intermediate's statement about the provider is missing
  auto short_chain = validate_chain(chain, anchors(), request());
  ASSERT_FALSE(short_chain);
  EXPECT_EQ(short_chain.error().code, reason::statement_signature);
  chain.resize(2);
  EXPECT_EQ(validate_chain(chain, anchors(), request()).error().code, reason::chain_broken);
}

TEST(entity_statement, a_date_past_2200_is_malformed_not_an_overflow) {
  // Found by federation_fuzz: exp near INT64_MAX overflowed the clock's nanoseconds.
  const std::string header = base::base64url_encode(R"({"alg":"RS256"})");
  for (const char* exp : {"9223372036854775807", "179659221022", "7258118401", "-1"}) {
    const std::string payload = base::base64url_encode(
        std::string(R"({"iss":"a","sub":"a","iat":1,"jwks":{"keys":[]},"exp":)") + exp + "}");
    auto statement = read_statement(header + "." + payload + ".c2ln");
    ASSERT_FALSE(statement) << exp;
    EXPECT_EQ(statement.error().code, reason::statement_malformed);
    EXPECT_NE(statement.error().detail.find("exp"), std::string::npos) << statement.error().detail;
  }
}

TEST_F(trust_chain, without_required_trust_marks_a_chain_without_them_resolves) {
  auto r = request();
  r.required_trust_marks.clear();
  EXPECT_TRUE(validate_chain(chain_of(named("no_trust_mark")), anchors(), r));
}

}  // namespace
}  // namespace varco::federation
