// The independent OpenID Provider (tests/tools/oidc-op/op.mjs: npm oidc-provider, OpenID
// Certified, run with `node` from PATH) in its own process on 127.0.0.1, for varco's OpenID
// Connect tests: SPID/CIE profile or a plain OP, optionally with a small OpenID Federation (trust
// anchor and intermediate) on the same port.
//
// The constructor returns once the OP has printed its ready line (read from its stdout with a
// deadline, no sleeps); its log (stderr) is in output(). Not thread-safe; the destructor kills it.
#pragma once

#include "tests/support/test_files.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace varco::test {

class op_process {
 public:
  struct options {
    std::uint16_t port = 0;     // 0: any free port
    std::string mode = "spid";  // "spid" or "plain"
    std::string client_id;
    std::vector<std::string> redirect_uris;              // at least one
    std::vector<std::string> post_logout_redirect_uris;  // may be empty
    std::string backchannel_logout_uri;                  // "": no back-channel logout
    // The client's public keys ({"keys":[...]}: a `use: sig` key, and in spid mode a `use: enc`
    // RSA key for the UserInfo JWE); required in spid mode, or in plain mode without a secret.
    fs::path client_jwks;
    std::string client_secret;    // plain mode: client_secret_basic
    std::string acr;              // "": the first supported value of the request's acr_values
    bool federation = false;      // spid mode: also <issuer>/ta and <issuer>/intermediate
    std::string rp_entity_id;     // federation: the RP (defaults to client_id)
    fs::path rp_federation_jwks;  // federation: the RP's public federation keys
    // The test user; "" keeps the OP's default (TINIT-RSSMRA80A01H501U, Mario Rossi,
    // mario.rossi@example.it).
    std::string fiscal_number;
    std::string given_name;
    std::string family_name;
    std::string email;
    std::chrono::milliseconds start_timeout = std::chrono::seconds(30);
  };

  explicit op_process(const options& opts);
  ~op_process();
  op_process(const op_process&) = delete;
  op_process& operator=(const op_process&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  const std::string& issuer() const noexcept { return issuer_; }    // http://127.0.0.1:PORT
  const std::string& subject() const noexcept { return subject_; }  // the test user's `sub`
  // The whole ready line (JSON): with federation, "trust_anchor" and "intermediate", each
  // {"entity_id", "jwks"}.
  const std::string& ready_line() const noexcept { return ready_line_; }
  std::string output() const;  // what the OP logged (its stderr)

  // The source tree (tests/tools/oidc-op/op.mjs and web/node_modules live there).
  static fs::path source_dir();

 private:
  void stop() noexcept;

  temp_dir dir_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string issuer_;
  std::string subject_;
  std::string ready_line_;
};

}  // namespace varco::test
