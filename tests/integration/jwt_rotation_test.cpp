// A JWT signing key rotation on the real process: tokens signed before the switch keep verifying
// against the JWKS varco serves, by kid lookup as a product's JOSE library does, because the old
// key stays published under the kid those tokens carry (jwt.previous_public_keys {file, kid}).
#include "base/openssl_handles.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/jwt_check.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <csignal>
#include <cstdio>
#include <memory>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

// Writes the public half of the PEM private key `private_pem` to `public_pem` (what an operator
// does with `openssl ec -pubout`: previous_public_keys takes public keys).
void write_public_half(const fs::path& private_pem, const fs::path& public_pem) {
  const auto close = [](std::FILE* f) { std::fclose(f); };
  std::unique_ptr<std::FILE, decltype(close)> in(std::fopen(private_pem.c_str(), "rb"), close);
  ASSERT_TRUE(in) << private_pem;
  base::openssl_ptr<EVP_PKEY> key(PEM_read_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(key) << private_pem;
  std::unique_ptr<std::FILE, decltype(close)> out(std::fopen(public_pem.c_str(), "wb"), close);
  ASSERT_TRUE(out) << public_pem;
  ASSERT_EQ(PEM_write_PUBKEY(out.get(), key.get()), 1);
}

// The stack's config with its jwt line replaced by `jwt_line`.
std::string with_jwt(const gateway_stack& stack, const std::string& jwt_line) {
  std::string yaml = stack.config_yaml();
  const std::string current = "jwt: {key_file: jwt.pem, kid: test-key-1, ttl: 15m}\n";
  const auto at = yaml.find(current);
  EXPECT_NE(at, std::string::npos) << "the fixture's jwt line changed";
  if (at != std::string::npos) yaml.replace(at, current.size(), jwt_line);
  return yaml;
}

// Rewrites the config, sends SIGHUP and waits until `generation` is the one serving.
void reload(gateway_stack& stack, const std::string& yaml, int generation) {
  write_file(stack.gateway->config_path(), yaml);
  stack.gateway->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] {
    return http_get(stack.gateway->port(), "/readyz")
               .body.find("\"config_generation\":" + std::to_string(generation)) !=
           std::string::npos;
  })) << stack.gateway->output();
}

std::string jwks_of(const gateway_stack& stack) {
  const auto answer = http_get(stack.gateway->port(), "/.well-known/jwks.json");
  EXPECT_EQ(answer.status, 200u);
  return answer.body;
}

// The identity token the product receives on a fresh connection.
std::string token_for(const gateway_stack& stack, const std::string& cookie) {
  const auto answer = http_get(stack.gateway->port(), "/pagopa/x", with_cookie(cookie));
  EXPECT_EQ(answer.status, 200u) << answer.body;
  return echoed(answer).value("X-Varco-Identity-Token");
}

TEST(jwt_rotation, tokens_signed_before_the_switch_verify_by_kid_until_they_expire) {
  gateway_stack stack;  // signs with jwt.pem as test-key-1
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const std::string old_token = token_for(stack, cookie);
  ASSERT_FALSE(old_token.empty());
  const auto before = test::check_jwt(old_token, jwks_of(stack));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->header.at("kid").as_string(), "test-key-1");
  EXPECT_TRUE(before->signature_valid);

  // Switch: sign with key B, keep publishing key A under the kid its tokens carry.
  write_ec_private_key(stack.dir / "jwt-b.pem");
  write_public_half(stack.dir / "jwt.pem", stack.dir / "jwt.pub");
  reload(stack,
         with_jwt(stack,
                  "jwt:\n"
                  "  key_file: jwt-b.pem\n"
                  "  kid: test-key-2\n"
                  "  ttl: 15m\n"
                  "  previous_public_keys: [{file: jwt.pub, kid: test-key-1}]\n"),
         2);
  const std::string jwks = jwks_of(stack);
  const auto old_after = test::check_jwt(old_token, jwks);
  ASSERT_TRUE(old_after);
  EXPECT_TRUE(old_after->signature_valid) << jwks;

  // New tokens come from key B under its kid and verify too (the reload emptied the token cache).
  std::string new_token;
  ASSERT_TRUE(eventually([&] {
    new_token = token_for(stack, cookie);
    const auto checked = test::check_jwt(new_token, jwks);
    return checked && checked->header.at("kid").as_string() == "test-key-2";
  })) << new_token;
  const auto fresh = test::check_jwt(new_token, jwks);
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh->signature_valid);
  // The kid picks the key: the old token's signature does not match key B's.
  std::string relabelled_jwks = jwks;
  const auto kid_a = relabelled_jwks.find("\"test-key-1\"");
  ASSERT_NE(kid_a, std::string::npos);
  relabelled_jwks.replace(kid_a, 12, "\"test-key-0\"");
  const auto kid_b = relabelled_jwks.find("\"test-key-2\"");
  ASSERT_NE(kid_b, std::string::npos);
  relabelled_jwks.replace(kid_b, 12, "\"test-key-1\"");
  const auto swapped = test::check_jwt(old_token, relabelled_jwks);
  ASSERT_TRUE(swapped);
  EXPECT_FALSE(swapped->signature_valid);

  // The first form of the setting (a file name: thumbprint kid) publishes key A under a kid that
  // no token carries: a verifier picking keys by kid cannot verify the old token. This is what
  // the {file, kid} form fixes.
  reload(stack,
         with_jwt(stack,
                  "jwt:\n"
                  "  key_file: jwt-b.pem\n"
                  "  kid: test-key-2\n"
                  "  ttl: 15m\n"
                  "  previous_public_keys: [jwt.pub]\n"),
         3);
  const auto thumbprint_only = test::check_jwt(old_token, jwks_of(stack));
  ASSERT_TRUE(thumbprint_only);
  EXPECT_FALSE(thumbprint_only->signature_valid);
}

}  // namespace
}  // namespace varco::integration
