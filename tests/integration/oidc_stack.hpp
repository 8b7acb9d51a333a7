// The OpenID Connect login stack: the independent OpenID Provider (npm oidc-provider, with a
// trust anchor and an intermediate of the OpenID Federation signed with npm jose: op_process),
// an echo portal, the shared Redis and varco with an oidc section, wired as in production:
// varco's keys made with `varco oidc-key`, the provider told varco's public keys and redirect
// URIs, varco told the trust anchor's keys.
#pragma once

#include "tests/support/browser.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/op_process.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <memory>
#include <string>

namespace varco::integration {

using namespace varco::test;

struct oidc_settings {
  // "spid": a provider of the SPID/CIE federation (Request Objects, private_key_jwt, encrypted
  // UserInfo, a trust chain); "plain": a standard provider found by discovery, with
  // client_secret_basic.
  std::string mode = "spid";
  // plain: client_secret_basic, or private_key_jwt (varco's signing key, given to the provider).
  std::string client_auth = "client_secret_basic";
  std::string acr;            // the acr the provider asserts whatever was asked; "": what was asked
  std::string fiscal_number;  // the provider's user; "": TINIT-RSSMRA80A01H501U (Mario)
  // Lines appended to the oidc section's federation mapping (e.g. required_trust_marks).
  std::string extra_federation;
  // A trust anchor varco is told about instead of the provider's own (a chain to nowhere).
  bool foreign_trust_anchor = false;
};

class oidc_stack {
 public:
  explicit oidc_stack(oidc_settings s = {});

  std::uint16_t port() const { return varco->port(); }
  std::string url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(port()) + target;
  }
  const std::string& provider_id() const { return provider_id_; }

  // GET /oidc/login → the provider's login page → its form submitted → the redirects back to
  // varco's callback, whose answer is returned (not followed). `query` is added to /oidc/login's.
  http_response login(test::browser& b, const std::string& query = "");
  // The same, stopping at the callback URL the provider sends the browser to (not requested).
  std::string callback_url(test::browser& b, const std::string& query = "");

  // Every record of the stack's audit log, as written (one JSON line each).
  std::string audit_text() const;

  temp_dir files;
  std::unique_ptr<op_process> op;
  test_upstream portal;
  std::unique_ptr<varco_process> varco;
  std::string audit_dir;

 private:
  std::string provider_id_;
};

// Runs `varco oidc-key --use USE --key-out FILE` and returns the public JWK it prints.
std::string make_oidc_key(const fs::path& file, const std::string& use);

}  // namespace varco::integration
