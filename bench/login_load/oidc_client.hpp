// One browser's OpenID Connect login through a real OpenID Provider, step by step over real HTTP:
// GET /oidc/login?provider=<id> → 302 to the provider's authorization endpoint → the provider's
// own redirects, and its login page's form posted as a user clicks its button (no fields) → the
// redirect back to varco's /oidc/callback, requested with the pre-login cookie (varco redeems the
// code, checks the ID Token, decrypts and verifies UserInfo, creates the session) → the first
// request to the product with the new session cookie.
//
// Made for tests/tools/oidc-op/op.mjs (npm oidc-provider), whose login page is one form with one
// button; any provider whose pages are forms to submit as they are would do. The provider's
// cookies go in the same jar as varco's, as on 127.0.0.1 a browser keeps them.
//
// Not thread-safe: one per login loop (thread). Never throws: a login that goes wrong anywhere is
// a failure with its reason.
#pragma once

#include "bench/login_load/load_browser.hpp"
#include "bench/login_load/login_driver.hpp"
#include "tests/support/http_client.hpp"

#include <chrono>
#include <string>

namespace varco::bench {

class oidc_client final : public login_driver {
 public:
  explicit oidc_client(const login_target& target);

  login_result login() override;

 private:
  // From the provider's first URL to varco's callback (its path and query, "" with `failure` set
  // when the provider does not send the browser back).
  std::string through_provider(const std::string& url, std::string& failure);

  const login_target& target_;
  load_browser browser_;
};

}  // namespace varco::bench
