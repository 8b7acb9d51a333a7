// Decides what happens to one request: the gateway's own endpoints answer directly; product routes
// go through session lookup, the access policy and claims preparation, and come back as a
// proxy_target for the connection to forward. One per worker (it uses the worker's session cache,
// token cache and counters, through request_services.hpp); coroutines run on the worker's
// io_context.
#pragma once

#include "gateway/endpoint/exchange.hpp"
#include "gateway/http/path_normalizer.hpp"
#include "gateway/http/request_fields.hpp"
#include "gateway/routing/reserved_routes.hpp"
#include "gateway/routing/route_table.hpp"
#include "gateway/runtime.hpp"
#include "session/session.hpp"

#include <string>
#include <string_view>

namespace varco::gateway {

class request_services;
struct area_view;  // gateway/pages/area_model.hpp

// What decide() left for complete(): the request needs to wait for something.
struct deferred_step {
  enum class kind { none, endpoint, session_lookup };
  kind waits_for = kind::none;
  // For endpoint: the reserved route whose endpoint runs (login, Area Riservata, legal pages).
  const reserved_route* reserved = nullptr;
  // For session_lookup: the route and the cookie value (a view into the request header).
  std::optional<route_match> route;
  target_parts parts;
  request_fields fields;
  std::string_view cookie_id;
};

// Accept prefers application/json (API clients) rather than an HTML page.
bool wants_json_request(const http::request_header<>& request);

class request_handler {
 public:
  explicit request_handler(request_services& owner) : owner_(owner) {}

  // Decides what it can without waiting: every request but the login endpoints and product
  // requests whose session is not in this worker's cache. True when `result` is final; false
  // when the caller must co_await complete() with `rest`. The common case (a cached session)
  // thus costs no coroutine frame, which profiling showed among the largest per-request costs.
  bool decide(const http::request_header<>& request, const client_info& client,
              const runtime& current, handler_result& result, deferred_step& rest);
  awaitable<void> complete(const http::request_header<>& request, const client_info& client,
                           const runtime& current, handler_result& result, deferred_step& rest);

  // error_response() (gateway/pages/page_answers.hpp) on this worker's newest runtime, for the
  // connection's own refusals (a header too large, a body cut short).
  http::response<http::string_body> error_response(unsigned status, std::string_view reason,
                                                   const exchange_notes& notes, bool json,
                                                   const std::string& request_id) const;

  // Second step of an endpoint that asked for the request body (handler_result::wants_body).
  awaitable<handler_result> handle_body(const http::request<http::string_body>& request,
                                        const client_info& client, const runtime& current,
                                        handler_result result);
  // An error answer for such a request when its body could not be read (e.g. 413).
  handler_result refuse_form(handler_result result, unsigned status,
                             std::string_view reason) const {
    const bool json = result.notes.json;
    return refuse(std::move(result), status, reason, json);
  }

 private:
  // The product path once the session is known (null: none).
  void handle_product(const http::request_header<>& request, const client_info& client,
                      const request_fields& fields, const runtime& current,
                      const route_match& route, const target_parts& parts,
                      std::optional<std::string_view> cookie_id, const session::session* user,
                      handler_result& result);
  // varco's own paths (reserved_dispatch.cpp): the method checked against the table, then the
  // answers that need nothing (static files, health) now, the rest through run_endpoint().
  bool decide_reserved(const http::request_header<>& request, const reserved_route& route,
                       const runtime& current, handler_result& result, deferred_step& rest);
  // The route's rate limit counted, then its module's endpoint run.
  awaitable<handler_result> run_endpoint(const http::request_header<>& request,
                                         const reserved_route& route, const runtime& current,
                                         handler_result result);
  handler_result handle_gateway_endpoint(const http::request_header<>& request,
                                         reserved_endpoint endpoint, const runtime& current,
                                         handler_result result);

  handler_result refuse(handler_result result, unsigned status, std::string_view reason,
                        bool json) const;
  handler_result redirect(handler_result result, std::string_view location) const;

  request_services& owner_;
};

}  // namespace varco::gateway
