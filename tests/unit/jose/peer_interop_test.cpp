// varco's JOSE against an independent implementation: npm `jose` makes keys and tokens (good
// ones and hostile ones) and says what it thinks of the tokens varco signs.
#include "base/openssl_handles.hpp"
#include "jose/claims.hpp"
#include "jose/jwe.hpp"
#include "jose/jws.hpp"
#include "tests/tools/jose-peer/run_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace varco::jose {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view issuer = "https://op.peer.test";
constexpr std::string_view audience = "https://rp.varco.test";

std::string text(const boost::json::value& v) { return std::string(v.as_string()); }

// What varco says of a signed ID-Token-like JWT: "ok" or the reason code.
std::string judge_jws(std::string_view token, const jwk_set& keys) {
  auto verified = verify_jws(token, keys, jws_policy{});
  if (!verified) return std::string(reason_code(verified.error().code));
  auto claims = parse_claims(verified->payload);
  if (!claims) return std::string(reason_code(claims.error().code));
  claim_expectations expected;
  expected.issuer = issuer;
  expected.audience = audience;
  expected.now = std::chrono::system_clock::now();
  if (auto ok = check_claims(*claims, expected); !ok)
    return std::string(reason_code(ok.error().code));
  return "ok";
}

class peer_interop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string out =
        test::run_jose_peer("make '" + std::string(issuer) + "' '" + std::string(audience) + "'");
    peer = boost::json::parse(out).as_object();
  }
  static boost::json::object peer;
};
boost::json::object peer_interop::peer;

jwk_set peer_keys(const boost::json::object& peer) {
  auto keys = jwk_set::parse(boost::json::serialize(peer.at("jwks")));
  EXPECT_TRUE(keys) << (keys ? "" : keys.error().detail);
  return keys ? std::move(*keys) : jwk_set{};
}

TEST_F(peer_interop, every_signed_token_gets_the_expected_verdict) {
  const jwk_set keys = peer_keys(peer);
  ASSERT_EQ(keys.keys().size(), 3U);
  std::size_t accepted = 0;
  for (const auto& item : peer.at("tokens").as_array()) {
    const auto& c = item.as_object();
    EXPECT_EQ(judge_jws(text(c.at("token")), keys), text(c.at("expect"))) << text(c.at("name"));
    if (text(c.at("expect")) == "ok") ++accepted;
  }
  EXPECT_EQ(accepted, 5U);  // RS256, RS512, PS256, ES256, and two audiences with azp
}

TEST_F(peer_interop, encrypted_userinfo_opens_with_the_relying_party_key_only) {
  const jwk_set keys = peer_keys(peer);
  const std::string pem = text(peer.at("enc_key"));
  base::openssl_ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::array<decryption_key, 1> rp{};
  rp[0].kid = "enc-1";
  rp[0].key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(rp[0].key);
  for (const auto& item : peer.at("encrypted").as_array()) {
    const auto& c = item.as_object();
    const std::string name = text(c.at("name"));
    auto opened = decrypt_jwe(text(c.at("token")), rp, jwe_policy{});
    const std::string verdict =
        opened ? judge_jws(opened->plaintext, keys) : std::string(reason_code(opened.error().code));
    EXPECT_EQ(verdict, text(c.at("expect"))) << name;
  }
}

TEST_F(peer_interop, a_key_under_2048_bits_is_refused) {
  auto weak = parse_public_jwk(peer.at("weak_jwk").as_object());
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().code, reason::key_too_weak);
}

base::openssl_ptr<EVP_PKEY> generate(const char* type, const char* parameter) {
  base::openssl_ptr<EVP_PKEY> key(std::string_view(type) == "RSA"
                                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", parameter));
  return key;
}

TEST(peer_verifies_varco, tokens_varco_signs_verify_in_jose_and_a_tampered_one_does_not) {
  const auto rsa = generate("RSA", nullptr);
  const auto p256 = generate("EC", "P-256");
  const auto p384 = generate("EC", "P-384");
  ASSERT_TRUE(rsa && p256 && p384);
  boost::json::array jwks;
  for (auto [key, kid] : {std::pair{rsa.get(), "rs"}, {p256.get(), "p256"}, {p384.get(), "p384"}}) {
    auto jwk = public_jwk_json(key, kid, "sig", "");
    ASSERT_TRUE(jwk);
    jwks.push_back(std::move(*jwk));
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  boost::json::object claims{
      {"iss", issuer}, {"aud", audience}, {"sub", "rp"}, {"iat", now}, {"exp", now + 60}};
  const std::string payload = boost::json::serialize(claims);
  boost::json::array tokens;
  for (auto [name, key, alg, kid] : {std::tuple{"rs256", rsa.get(), "RS256", "rs"},
                                     {"rs512", rsa.get(), "RS512", "rs"},
                                     {"ps256", rsa.get(), "PS256", "rs"},
                                     {"es256", p256.get(), "ES256", "p256"},
                                     {"es384", p384.get(), "ES384", "p384"}}) {
    auto token = sign_jws(payload, key, alg, kid, {{"typ", "JWT"}});
    ASSERT_TRUE(token) << name;
    tokens.push_back({{"name", name}, {"token", *token}});
  }
  std::string tampered(tokens[0].as_object().at("token").as_string());
  char& c = tampered[tampered.size() - 10];  // inside the signature
  c = c == 'A' ? 'B' : 'A';
  tokens.push_back({{"name", "tampered"}, {"token", tampered}});

  const fs::path file =
      fs::temp_directory_path() / ("varco-jose-" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << boost::json::serialize(boost::json::object{
      {"jwks", {{"keys", jwks}}}, {"issuer", issuer}, {"audience", audience}, {"tokens", tokens}});
  const auto verdicts =
      boost::json::parse(test::run_jose_peer("verify '" + file.string() + "'")).as_object();
  fs::remove(file);
  for (const char* name : {"rs256", "rs512", "ps256", "es256", "es384"})
    EXPECT_EQ(verdicts.at(name), "ok") << name;
  EXPECT_NE(verdicts.at("tampered"), "ok");

  // And varco reads back what it signed.
  auto keys = jwk_set::parse(boost::json::serialize(boost::json::object{{"keys", jwks}}));
  ASSERT_TRUE(keys);
  for (const auto& t : tokens) {
    const std::string name(t.as_object().at("name").as_string());
    EXPECT_EQ(judge_jws(text(t.as_object().at("token")), *keys),
              name == "tampered" ? "signature_invalid" : "ok")
        << name;
  }
}

}  // namespace
}  // namespace varco::jose
