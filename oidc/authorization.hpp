// The Authorization Request of the SPID/CIE OpenID Connect profile (and of any provider that
// takes a Request Object, RFC 9101): PKCE (RFC 7636, S256 only), state and nonce, and every
// parameter both in the signed Request Object and in the query, as the profile asks.
#pragma once

#include "oidc/errors.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <string>
#include <vector>

namespace varco::oidc {

struct pkce {
  std::string verifier;   // 43 characters of base64url (32 random bytes), kept by the RP
  std::string challenge;  // base64url(SHA-256(verifier)), sent
};

pkce make_pkce();

// 32 random bytes as base64url: for state, nonce and jti.
std::string random_token();

struct authorization_request {
  std::string authorization_endpoint;
  std::string client_id;
  std::string redirect_uri;
  std::string scope = "openid";
  std::string state;
  std::string nonce;
  std::string code_challenge;
  std::vector<std::string> acr_values;  // most preferred first
  std::string prompt;                   // "login", "consent login", or empty
  std::string claims;                   // the claims request, as JSON text, or empty
  std::string audience;                 // the Request Object's aud: the provider's issuer
  // false: the parameters go in the query only (a plain provider that takes no Request Object;
  // `key` is then unused).
  bool request_object = true;
};

struct signing_key {
  const EVP_PKEY* key = nullptr;
  std::string alg;  // "RS256"
  std::string kid;
};

// The URL to send the browser to: the endpoint with client_id, response_type=code, scope,
// redirect_uri, state, nonce, code_challenge (S256), acr_values, prompt, claims and `request`,
// a Request Object signed with `key` that holds the same parameters plus iss, aud, iat, exp
// (now + 2 minutes) and jti (unless request.request_object is false). request_invalid when a
// required parameter is empty.
outcome<std::string> authorization_url(const authorization_request& request, const signing_key& key,
                                       std::chrono::system_clock::time_point now);

// private_key_jwt (OpenID Connect Core §9): the client assertion for a call to `endpoint`.
outcome<std::string> client_assertion(std::string_view client_id, std::string_view endpoint,
                                      const signing_key& key,
                                      std::chrono::system_clock::time_point now);

}  // namespace varco::oidc
