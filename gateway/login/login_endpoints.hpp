// The login flow's HTTP endpoints, on top of the pure saml/ module:
//   GET  /login                 the login page (SPID IdPs in random order, the CIE button)
//   GET  /saml/metadata[/cie]   signed SP metadata
//   GET  /saml/login?idp=…      signed AuthnRequest: 302 (Redirect binding) or auto-post (POST)
//   POST /saml/acs              the IdP's Response: validated, then a fresh session and a 303
//   POST /logout                CSRF-checked: session ended everywhere, then SLO to the IdP
//   GET|POST /saml/slo          the IdP's LogoutResponse, or its own LogoutRequest
//   /area, /area/*              handed to area_endpoints (gateway/portal), the Area Riservata
//   GET  /terms, /privacy       handed to legal_endpoints (gateway/portal), public legal texts
//
// One per worker, used on its thread; state lives in the session and login-state stores, so any
// instance may finish a flow another one started.
#pragma once

#include "gateway/exchange.hpp"
#include "gateway/login/login_audit.hpp"
#include "gateway/login/rate_limit.hpp"
#include "gateway/runtime.hpp"
#include "saml/errors.hpp"
#include "session/session.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

class worker;

// The session of the request's cookie, or null (malformed, unknown, expired, store down: then
// `store_failed`).
awaitable<std::shared_ptr<const session::session>> signed_in_user(
    worker& owner, const http::request_header<>& request, const runtime& current,
    bool& store_failed);

class login_endpoints {
 public:
  // `audit` outlives the endpoints (server.cpp owns it).
  login_endpoints(worker& owner, audit_sink& audit) : owner_(owner), audit_(audit) {}

  // Whether `path` is one of the endpoints above.
  static bool handles(std::string_view path);

  // First step. Sets result.wants_body for the POST endpoints (their body comes next).
  // The client's address is result.notes.client (rate limits, audit records).
  awaitable<handler_result> handle(const http::request_header<>& request, const runtime& current,
                                   handler_result result);
  awaitable<handler_result> handle_body(const http::request<http::string_body>& request,
                                        const runtime& current, handler_result result);

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

  awaitable<std::shared_ptr<const session::session>> current_session(
      const http::request_header<>& request, const runtime& current, bool& store_failed) {
    return signed_in_user(owner_, request, current, store_failed);
  }

  handler_result login_failure(handler_result result, unsigned status, std::string_view reason,
                               std::string anomaly = {}) const;
  // The answer to a request over a rate limit (429 with Retry-After) or whose counter could not
  // be kept (503): a limit that cannot be counted is not waived.
  handler_result rate_limited(handler_result result, const rate_check& check) const;
  handler_result answer(handler_result result, http::status status, std::string_view content_type,
                        std::string body) const;
  handler_result see_other(handler_result result, http::status status,
                           std::string_view location) const;

  // Appends the ACS's record of a refused login, then answers as login_failure does.
  awaitable<handler_result> refuse_login(handler_result result, const conf::saml& config,
                                         boost::json::object& audit, unsigned status,
                                         std::string_view reason, std::string anomaly = {});

  worker& owner_;
  audit_sink& audit_;
};

}  // namespace varco::gateway
