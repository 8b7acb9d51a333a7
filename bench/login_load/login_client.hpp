// One browser's login, step by step over real HTTP (one keep-alive connection to varco, as a
// browser keeps one): GET /saml/login for the load IdP → the AuthnRequest read back from the
// redirect or from the auto-posting form → a signed Response from the fast_idp → POST /saml/acs
// with the pre-login cookie → the first request to the product with the new session cookie.
//
// Not thread-safe: one login_client per login loop (thread). Never throws: a login that goes
// wrong anywhere is a failure with its reason.
#pragma once

#include "bench/login_load/fast_idp.hpp"
#include "tests/support/http_client.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace varco::bench {

struct login_target {
  std::uint16_t port = 0;      // varco on 127.0.0.1
  std::string acs_url;         // public_base_url + /saml/acs, the Response's Destination
  std::string return_path;     // where the login returns; the first proxied request
  std::string expect_in_body;  // the first request's answer must contain it (the identity)
};

struct login_timing {
  std::chrono::nanoseconds login{}, acs{}, first_request{};  // varco's answers, as the client saw
};

struct login_result {
  bool ok = false;
  bool crypto_busy = false;  // !ok because varco answered 503 crypto_busy (its crypto queue full)
  std::string failure;       // which step failed and why, when !ok
  login_timing timing;
};

class login_client {
 public:
  login_client(const login_target& target, fast_idp& idp);

  login_result login();

 private:
  test::http_response send(boost::beast::http::verb method, const std::string& target,
                           const std::string& body, std::chrono::nanoseconds& took);
  void remember_cookies(const test::http_response& response);
  std::string cookie_header() const;

  const login_target& target_;
  fast_idp& idp_;
  std::unique_ptr<test::http_client> connection_;  // reopened when varco closes it
  std::map<std::string, std::string> cookies_;
};

}  // namespace varco::bench
