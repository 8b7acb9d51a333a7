// Decides what happens to one request: the gateway's own endpoints answer directly; product routes
// go through session lookup, the access policy and claims preparation, and come back as a
// proxy_target for the connection to forward. One per worker (it uses the worker's session cache,
// token cache and counters); coroutines run on the worker's io_context.
#pragma once

#include "gateway/exchange.hpp"
#include "gateway/runtime.hpp"

#include <string>
#include <string_view>

namespace varco::gateway {

class worker;
struct route_match;

// Accept prefers application/json (API clients) rather than an HTML page.
bool wants_json_request(const http::request_header<>& request);

class request_handler {
 public:
  explicit request_handler(worker& owner) : owner_(owner) {}

  awaitable<handler_result> handle(const http::request_header<>& request, const client_info& client,
                                   const runtime& current, bool json);

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

  // A readable error: HTML (Italian, then English) or JSON, naming product and environment.
  http::response<http::string_body> error_response(unsigned status, std::string_view reason,
                                                   const exchange_notes& notes, bool json,
                                                   const std::string& request_id) const;

 private:
  awaitable<handler_result> handle_product(const http::request_header<>& request,
                                           const client_info& client, const runtime& current,
                                           const route_match& route, std::string_view query,
                                           bool has_query, handler_result result);
  handler_result handle_gateway_endpoint(const http::request_header<>& request,
                                         const runtime& current, handler_result result);

  handler_result refuse(handler_result result, unsigned status, std::string_view reason,
                        bool json) const;
  handler_result redirect(handler_result result, std::string_view location) const;

  worker& owner_;
};

}  // namespace varco::gateway
