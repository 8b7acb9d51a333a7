// The login flow's HTTP endpoints, on top of the pure saml/ module:
//   GET  /login                 the login page: SPID (SAML and OpenID Connect), CIE, other ways
//   GET  /saml/metadata[/cie]   signed SP metadata
//   GET  /saml/login?idp=…      signed AuthnRequest: 302 (Redirect binding) or auto-post (POST)
//   POST /saml/acs              the IdP's Response: validated, then a fresh session and a 303
//   POST /logout                CSRF-checked: session ended everywhere, then SLO to the IdP
//   GET|POST /saml/slo          the IdP's LogoutResponse, or its own LogoutRequest
//   GET  /oidc/login?provider=… OpenID Connect: the Authorization Request (302 to the provider)
//   GET  /oidc/callback         the provider's answer: code redeemed, tokens checked, a session
//   GET  /oidc/logged-out       where the provider's logout sends the browser back
//   POST /oidc/backchannel-logout  the provider's logout_token ends the user's sessions
//   GET  /.well-known/openid-federation  varco's signed Entity Configuration
// The reserved-route table (gateway/routing/reserved_routes.hpp) names these paths, checks the
// method and counts the rate limits before they run.
//
// One per worker, used on its thread; state lives in the session and login-state stores, so any
// instance may finish a flow another one started.
#pragma once

#include "gateway/endpoint/crypto_pool.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/rate_limit.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/endpoint/services.hpp"
#include "gateway/endpoint/signed_in_user.hpp"
#include "gateway/login/login_audit.hpp"
#include "gateway/login/oidc_resolver.hpp"
#include "gateway/routing/reserved_routes.hpp"
#include "saml/errors.hpp"
#include "session/login_state_store.hpp"
#include "session/session.hpp"
#include "session/session_service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

// What the login endpoints use of the server (gateway/endpoint/services.hpp).
struct login_services {
  runtime_source& runtime;
  session::session_service& sessions;
  session::login_state_store& login_state;  // pending requests, replay marks, SLO index, limits
  rejection_counter& rejections;
  audit_sink& audit;           // every ACS and SLO exchange
  logout_listener& at_logout;  // what else Esci clears (the portal's form drafts)
  crypto_pool& crypto;         // signatures and Response checks, off this worker's thread
};

class login_endpoints {
 public:
  // The services outlive the endpoints (the worker and the server own them).
  explicit login_endpoints(login_services services) : services_(services) {}

  // First step. Sets result.wants_body for the POST endpoints (their body comes next).
  // The client's address is result.notes.client (rate limits, audit records).
  awaitable<handler_result> handle(reserved_endpoint endpoint,
                                   const http::request_header<>& request, const runtime& current,
                                   handler_result result);
  awaitable<handler_result> handle_body(reserved_endpoint endpoint,
                                        const http::request<http::string_body>& request,
                                        const runtime& current, handler_result result);

  // The answer to a request over a rate limit (429 with Retry-After) or whose counter could not
  // be kept (503): a limit that cannot be counted is not waived. The login error page, for the
  // login endpoints and the Area Riservata's forms alike.
  handler_result rate_limited(handler_result result, const rate_check& check) const;

  // The answer when the crypto pool refused a job (its queue full, or the process stopping):
  // 503 `crypto_busy` with Retry-After, logged with `step` (what could not be queued).
  handler_result crypto_busy(handler_result result, std::string_view step) const;

 private:
  awaitable<handler_result> login_page(const http::request_header<>& request,
                                       const runtime& current, std::string_view query,
                                       handler_result result);
  awaitable<handler_result> start_login(const runtime& current, std::string_view query,
                                        handler_result result);
  awaitable<handler_result> finish_login(const http::request<http::string_body>& request,
                                         const runtime& current, handler_result result);
  awaitable<handler_result> logout(const http::request<http::string_body>& request,
                                   const runtime& current, handler_result result);
  awaitable<handler_result> single_logout(const http::request_header<>& request,
                                          std::string_view query, std::string_view body,
                                          const runtime& current, handler_result result);

  // OpenID Connect (oidc_login.cpp, oidc_callback.cpp, oidc_logout.cpp).
  awaitable<handler_result> start_oidc_login(const runtime& current, std::string_view query,
                                             handler_result result);
  awaitable<handler_result> finish_oidc_login(const http::request_header<>& request,
                                              const runtime& current, std::string_view query,
                                              handler_result result);
  awaitable<handler_result> refuse_oidc_login(handler_result result, const conf::oidc& config,
                                              boost::json::object& audit, unsigned status,
                                              std::string_view reason);
  // Esci for a session an OpenID Connect login made (called by logout() after its CSRF check).
  awaitable<handler_result> oidc_logout(const http::request_header<>& request,
                                        const runtime& current, const session::session& user,
                                        std::string expire_cookie, handler_result result);
  awaitable<handler_result> backchannel_logout(const http::request<http::string_body>& request,
                                               const runtime& current, handler_result result);
  handler_result entity_configuration(const runtime& current, handler_result result) const;
  // The provider's endpoints and keys: the cached copy while it is fresh, else resolved now
  // (oidc_resolver.hpp); `keys_changed` asks for a new copy (an unknown kid), at most every 30 s.
  // Null with `why` set when the provider cannot be used.
  awaitable<std::shared_ptr<const resolved_provider>> provider_metadata(
      const runtime& current, const conf::oidc_provider& provider, bool keys_changed,
      resolve_failure& why);

  awaitable<signed_in_user> current_session(const http::request_header<>& request,
                                            const runtime& current) {
    return find_signed_in_user(services_.sessions, request, current);
  }

  // The end of an accepted login, either protocol: 303 to `return_path` (or /area) with the new
  // session cookie, and the round's pre-login cookie cleared (it has nothing left to bind).
  handler_result signed_in(handler_result result, const runtime& current,
                           const std::string& cookie_id, const std::string& return_path) const;
  // The logged-out page, with the session cookie expired and the form-draft cookie cleared (when
  // the logout listener set one): the end of every Esci that does not go on to the provider.
  handler_result logged_out(handler_result result, const runtime& current,
                            const std::string& expire_cookie,
                            const std::optional<std::string>& expire_draft) const;
  handler_result login_failure(handler_result result, unsigned status, std::string_view reason,
                               std::string anomaly = {}) const;
  handler_result answer(handler_result result, http::status status, std::string_view content_type,
                        std::string body) const;
  handler_result see_other(handler_result result, http::status status,
                           std::string_view location) const;

  // Appends the ACS's record of a refused login, then answers as login_failure does.
  awaitable<handler_result> refuse_login(handler_result result, const conf::saml& config,
                                         boost::json::object& audit, unsigned status,
                                         std::string_view reason, std::string anomaly = {});

  login_services services_;
};

}  // namespace varco::gateway
