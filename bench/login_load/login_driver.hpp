// What every kind of login the tool drives shares: where varco is, what one login measured, how
// it ended, and the interface the login loops call (login_client for SAML, oidc_client for
// OpenID Connect).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace varco::bench {

struct login_target {
  std::uint16_t port = 0;      // varco on 127.0.0.1
  std::string base_url;        // its public_base_url (the ACS URL, the callback URL derive from it)
  std::string return_path;     // where the login returns; the first proxied request
  std::string expect_in_body;  // the first request's answer must contain it (the identity)
  std::string provider;        // OpenID Connect: the provider's id in /oidc/login?provider=
};

// Each step as the client saw it, from the request's first byte to the answer's last.
struct login_timing {
  std::chrono::nanoseconds login{};     // GET /saml/login or /oidc/login
  std::chrono::nanoseconds provider{};  // the IdP's or OP's part, between varco's two steps
  std::chrono::nanoseconds finish{};    // POST /saml/acs or GET /oidc/callback
  std::chrono::nanoseconds first_request{};
};

struct login_result {
  bool ok = false;
  bool crypto_busy = false;  // !ok because varco answered 503 crypto_busy (its crypto queue full)
  std::string failure;       // which step failed and why, when !ok
  login_timing timing;
};

// One browser's logins, one after another. Not thread-safe: one per login loop (thread). login()
// never throws: a login that goes wrong anywhere is a failure with its reason.
class login_driver {
 public:
  login_driver() = default;
  virtual ~login_driver() = default;
  login_driver(const login_driver&) = delete;
  login_driver& operator=(const login_driver&) = delete;

  virtual login_result login() = 0;
};

// varco refused a step because its crypto queue was full (server.limits.crypto_queue).
inline bool crypto_busy(unsigned status, const std::string& body) {
  return status == 503 && body.find("crypto_busy") != std::string::npos;
}

}  // namespace varco::bench
