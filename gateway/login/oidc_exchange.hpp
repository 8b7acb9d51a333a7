// The back-channel calls of an OpenID Connect login and logout, over the outbound fetcher:
// the token request (authorization code + PKCE verifier, client authenticated with
// private_key_jwt or client_secret_basic), the UserInfo request, and token revocation (RFC 7009).
// They return what came back or why nothing usable did; the callers check the tokens.
#pragma once

#include "conf/config.hpp"
#include "gateway/login/oidc_service.hpp"
#include "gateway/outbound/fetch.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace varco::gateway {

struct exchange_failure {
  // provider_unreachable, token_refused (the provider said no: invalid_grant for a code that is
  // used, foreign or expired), token_response_invalid, userinfo_refused, userinfo_invalid.
  std::string_view reason;  // static storage
  std::string detail;       // for the log: the provider's error code, never a token
};

template <class T>
using exchange_result = boost::system::result<T, exchange_failure>;

struct token_response {
  std::string id_token;
  std::string access_token;
  std::string refresh_token;  // may be empty
};

// How varco authenticates to the provider: the client assertion (private_key_jwt, signed by the
// caller for `endpoint`) or, for client_secret_basic, the configured secret.
struct client_credentials {
  std::string client_id;
  std::string assertion;  // empty for client_secret_basic
  std::string secret;     // empty for private_key_jwt
};

awaitable<exchange_result<token_response>> redeem_code(fetcher& fetch, const conf::oidc& config,
                                                       std::string endpoint,
                                                       const client_credentials& client,
                                                       std::string_view code,
                                                       std::string_view code_verifier);

// The UserInfo response's body as it came (JSON, a JWS or a JWE) and its media type.
struct userinfo_body {
  std::string body;
  std::string content_type;
};
awaitable<exchange_result<userinfo_body>> fetch_userinfo(fetcher& fetch, const conf::oidc& config,
                                                         std::string endpoint,
                                                         std::string_view access_token);

// RFC 7009: true when the provider answered 200.
awaitable<bool> revoke_token(fetcher& fetch, const conf::oidc& config, std::string endpoint,
                             const client_credentials& client, std::string_view token,
                             std::string_view hint);

}  // namespace varco::gateway
