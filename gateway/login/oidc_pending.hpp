// What varco remembers of an OpenID Connect login round between /oidc/login and the callback,
// under "o:<state>" in the login-state store (single use): the provider, the nonce and PKCE
// verifier sent, the level asked for, where the user goes afterwards, and the browser it is
// bound to (the SHA-256 of its pre-login cookie).
#pragma once

#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

struct oidc_pending_login {
  std::string provider;  // the configured provider id
  std::string nonce;
  std::string code_verifier;
  int level = 0;  // SPID/CIE level asked for; 0 for a plain provider
  std::string return_path;
  std::string browser_binding;
  std::int64_t issued_at = 0;  // seconds since the epoch
};

std::string encode_pending_login(const oidc_pending_login& pending);
// nullopt for anything that is not what encode_pending_login wrote.
std::optional<oidc_pending_login> decode_pending_login(std::string_view text);

// The store key of a login round.
inline std::string pending_login_key(std::string_view state) { return "o:" + std::string(state); }

// Whether `state` has the shape of what oidc::random_token() makes (43 base64url characters):
// anything else is refused before the store is asked.
bool looks_like_state(std::string_view state);

}  // namespace varco::gateway
