// What varco sends an OpenID Provider, checked by npm jose as the provider would check it.
#include "oidc/authorization.hpp"

#include "base/openssl_handles.hpp"
#include "jose/jwk.hpp"
#include "tests/tools/jose-peer/run_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>

namespace varco::oidc {
namespace {

namespace fs = std::filesystem;

TEST(pkce, the_challenge_is_the_s256_of_a_fresh_verifier) {
  const pkce a = make_pkce();
  const pkce b = make_pkce();
  EXPECT_EQ(a.verifier.size(), 43U);  // RFC 7636: 43 to 128 characters
  EXPECT_EQ(a.challenge.size(), 43U);
  EXPECT_NE(a.verifier, b.verifier);
  EXPECT_NE(a.verifier, a.challenge);
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(random_token());
  EXPECT_EQ(tokens.size(), 100U);
}

authorization_request spid_request(const pkce& p) {
  authorization_request r;
  r.authorization_endpoint = "https://op.peer.test/authorization";
  r.client_id = "https://rp.varco.test";
  r.redirect_uri = "https://rp.varco.test/oidc/callback";
  r.scope = "openid profile";
  r.state = random_token();
  r.nonce = random_token();
  r.code_challenge = p.challenge;
  r.acr_values = {"https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL1"};
  r.prompt = "consent login";
  r.claims = R"({"userinfo":{"https://attributes.eid.gov.it/fiscal_number":{"essential":true}}})";
  r.audience = "https://op.peer.test";
  return r;
}

TEST(authorization_url, refuses_a_request_without_what_the_profile_requires) {
  base::openssl_ptr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  const auto p = make_pkce();
  for (auto blank : {&authorization_request::state, &authorization_request::nonce,
                     &authorization_request::code_challenge, &authorization_request::redirect_uri,
                     &authorization_request::audience}) {
    auto r = spid_request(p);
    r.*blank = "";
    auto url = authorization_url(r, {key.get(), "RS256", "k"}, std::chrono::system_clock::now());
    ASSERT_FALSE(url);
    EXPECT_EQ(url.error().code, reason::request_invalid);
  }
  auto r = spid_request(p);
  r.claims = "{not json";
  EXPECT_EQ(authorization_url(r, {key.get(), "RS256", "k"}, std::chrono::system_clock::now())
                .error()
                .code,
            reason::request_invalid);
  EXPECT_EQ(authorization_url(spid_request(p), {key.get(), "ES256", "k"},
                              std::chrono::system_clock::now())
                .error()
                .code,
            reason::key_unusable);
}

TEST(authorization_url, the_provider_finds_a_signed_request_object_matching_the_query) {
  base::openssl_ptr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  ASSERT_TRUE(key);
  const auto p = make_pkce();
  const auto request = spid_request(p);
  const auto now = std::chrono::system_clock::now();
  auto url = authorization_url(request, {key.get(), "RS256", "rp-sig"}, now);
  ASSERT_TRUE(url) << url.error().detail;
  const std::string token_endpoint = "https://op.peer.test/token";
  auto assertion =
      client_assertion(request.client_id, token_endpoint, {key.get(), "RS256", "rp-sig"}, now);
  ASSERT_TRUE(assertion);

  auto jwk = jose::public_jwk_json(key.get(), "rp-sig", "sig", "RS256");
  ASSERT_TRUE(jwk);
  const fs::path file =
      fs::temp_directory_path() / ("varco-oidc-" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << boost::json::serialize(
      boost::json::object{{"jwks", {{"keys", boost::json::array{*jwk}}}},
                          {"url", *url},
                          {"client_id", request.client_id},
                          {"issuer", request.audience},
                          {"code_verifier", p.verifier},
                          {"token_endpoint", token_endpoint},
                          {"client_assertion", *assertion}});
  const auto seen =
      boost::json::parse(test::run_jose_peer("oidc '" + file.string() + "'")).as_object();
  fs::remove(file);

  EXPECT_EQ(seen.at("request_object"), "ok");
  EXPECT_EQ(seen.at("request_object_alg"), "RS256");
  EXPECT_EQ(seen.at("query_matches_request_object"), true);
  EXPECT_EQ(seen.at("pkce_s256"), true);
  EXPECT_EQ(seen.at("client_assertion"), "ok");
  EXPECT_EQ(seen.at("endpoint"), boost::json::string_view(request.authorization_endpoint));
  const auto& query = seen.at("query").as_object();
  EXPECT_EQ(query.at("response_type"), "code");
  EXPECT_EQ(query.at("code_challenge_method"), "S256");
  EXPECT_EQ(query.at("scope"), "openid profile");
  EXPECT_EQ(query.at("acr_values"),
            "https://www.spid.gov.it/SpidL2 https://www.spid.gov.it/SpidL1");
  EXPECT_EQ(query.at("state"), boost::json::string_view(request.state));
  EXPECT_EQ(query.at("nonce"), boost::json::string_view(request.nonce));
  const auto& object = seen.at("request_object_claims").as_object();
  EXPECT_EQ(object.at("prompt"), "consent login");
  EXPECT_TRUE(object.at("claims").is_object());
  EXPECT_TRUE(object.contains("jti"));
  EXPECT_EQ(object.at("exp").as_int64() - object.at("iat").as_int64(), 120);
}

}  // namespace
}  // namespace varco::oidc
