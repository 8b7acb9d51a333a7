// One browser's SPID login, step by step over real HTTP (one keep-alive connection to varco, as a
// browser keeps one): GET /saml/login for the load IdP → the AuthnRequest read back from the
// redirect or from the auto-posting form → a signed Response from the fast_idp → POST /saml/acs
// with the pre-login cookie → the first request to the product with the new session cookie.
//
// Not thread-safe: one login_client per login loop (thread). Never throws: a login that goes
// wrong anywhere is a failure with its reason.
#pragma once

#include "bench/login_load/fast_idp.hpp"
#include "bench/login_load/load_browser.hpp"
#include "bench/login_load/login_driver.hpp"

namespace varco::bench {

class login_client final : public login_driver {
 public:
  login_client(const login_target& target, fast_idp& idp);

  login_result login() override;

 private:
  const login_target& target_;
  fast_idp& idp_;
  load_browser browser_;
};

}  // namespace varco::bench
