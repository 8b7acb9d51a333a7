// Provider resolution by discovery against documents served from memory (the fetcher
// interface): what is taken from a discovery document and what refuses it. Federation chains
// are resolved end to end against the independent provider (tests/integration/oidc_*).
#include "gateway/login/oidc_resolver.hpp"

#include "jose/jwk.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <map>

namespace varco::gateway {
namespace {

// Answers each URL from a table; a URL not in it fails as a refused connection.
class table_fetcher final : public fetcher {
 public:
  awaitable<fetch_result> fetch(fetch_request request) override {
    requests.push_back(request.url);
    auto it = answers.find(request.url);
    if (it == answers.end()) co_return fetch_error::connect_failed;
    co_return it->second;
  }
  std::map<std::string, fetch_response> answers;
  std::vector<std::string> requests;
};

fetch_response ok(std::string body, std::string cache_control = {}) {
  fetch_response r;
  r.status = 200;
  r.body = std::move(body);
  r.cache_control = std::move(cache_control);
  return r;
}

std::string a_jwks() {
  base::openssl_ptr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
  auto jwk = jose::public_jwk_json(key.get(), "k1", "sig", "RS256");
  return boost::json::serialize(boost::json::object{{"keys", boost::json::array{*jwk}}});
}

class discovery : public ::testing::Test {
 protected:
  discovery() {
    config.metadata_refresh = std::chrono::hours(1);
    provider.id = "kc";
    provider.kind = conf::oidc_provider_kind::oidc;
    provider.issuer = "https://kc.example/realms/r";
    service.config = &config;
    document = {{"issuer", provider.issuer},
                {"authorization_endpoint", "https://kc.example/auth"},
                {"token_endpoint", "https://kc.example/token"},
                {"userinfo_endpoint", "https://kc.example/userinfo"},
                {"end_session_endpoint", "https://kc.example/logout"},
                {"jwks_uri", "https://kc.example/certs"},
                {"id_token_signing_alg_values_supported", boost::json::array{"HS256", "RS256"}}};
  }
  resolve_result run() {
    fetch.answers[provider.issuer + "/.well-known/openid-configuration"] =
        ok(boost::json::serialize(document), "max-age=600");
    boost::asio::io_context io;
    auto future = boost::asio::co_spawn(
        io, resolve_provider(fetch, service, provider, std::chrono::system_clock::now()),
        boost::asio::use_future);
    io.run();
    return future.get();
  }

  conf::oidc config;
  conf::oidc_provider provider;
  oidc_service service;
  table_fetcher fetch;
  boost::json::object document;
};

TEST_F(discovery, a_document_and_its_keys_resolve_the_provider) {
  fetch.answers["https://kc.example/certs"] = ok(a_jwks());
  const auto before = std::chrono::system_clock::now();
  auto resolved = run();
  ASSERT_TRUE(resolved) << resolved.error().detail;
  EXPECT_EQ(resolved->token_endpoint, "https://kc.example/token");
  EXPECT_EQ(resolved->end_session_endpoint, "https://kc.example/logout");
  EXPECT_EQ(resolved->keys.keys().size(), 1u);
  // HS256 is never accepted: only what varco's allow-list holds is kept.
  EXPECT_EQ(resolved->id_token_algorithms, std::vector<std::string>{"RS256"});
  // Cache-Control of the discovery document (600 s), within metadata_refresh.
  EXPECT_LE(resolved->expires - before, std::chrono::seconds(601));
  EXPECT_GE(resolved->expires - before, std::chrono::seconds(599));
}

TEST_F(discovery, an_issuer_other_than_the_configured_one_is_refused) {
  document["issuer"] = "https://evil.example/realms/r";
  auto resolved = run();
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().reason, "issuer_mismatch");
  EXPECT_EQ(fetch.requests.size(), 1u);  // the keys were never fetched
}

TEST_F(discovery, an_endpoint_over_plain_http_is_refused) {
  document["token_endpoint"] = "http://kc.example/token";
  auto resolved = run();
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().reason, "discovery_invalid");
}

TEST_F(discovery, only_hmac_algorithms_leave_nothing_to_verify_with) {
  document["id_token_signing_alg_values_supported"] = boost::json::array{"HS256", "none"};
  auto resolved = run();
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().reason, "discovery_invalid");
}

TEST_F(discovery, keys_that_are_not_a_jwk_set_are_refused) {
  fetch.answers["https://kc.example/certs"] = ok(R"({"keys":[{"kty":"RSA","n":"AQAB"}]})");
  auto resolved = run();
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().reason, "jwks_invalid");
}

TEST_F(discovery, an_unreachable_or_failing_provider_says_so) {
  auto unreachable = run();  // no answer for the keys
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().reason, "provider_unreachable");
  fetch.answers["https://kc.example/certs"] = fetch_response{503, "", "", "", "", ""};
  auto refused = run();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "provider_refused");
}

}  // namespace
}  // namespace varco::gateway
