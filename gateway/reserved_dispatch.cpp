// varco's own paths, dispatched from the reserved-route table
// (gateway/routing/reserved_routes.hpp): the method is checked against the route (405 with Allow),
// the rate limit counted before the endpoint does any work, then the module that owns the route
// answers.
#include "gateway/endpoint/rate_limit.hpp"
#include "gateway/http/request_fields.hpp"
#include "gateway/pages/page_notice.hpp"
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/legal_endpoints.hpp"
#include "gateway/portal/static_assets.hpp"
#include "gateway/portal/static_files.hpp"
#include "gateway/request_handler.hpp"
#include "gateway/request_services.hpp"

namespace varco::gateway {
namespace {

bool is_get_or_head(const http::request_header<>& request) {
  return request.method() == http::verb::get || request.method() == http::verb::head;
}

// The counter `route` takes for this request, with its configured limit; null when none.
struct counted_limit {
  std::string_view scope;  // the counter's name in the login-state store
  const conf::rate_limit* limit = nullptr;
};

counted_limit limit_of(const reserved_route& route, const http::request_header<>& request,
                       const conf::rate_limits& limits) {
  // A route that takes forms counts its POSTs; a GET-only route (the AuthnRequest) its GETs.
  const bool takes_post =
      (static_cast<unsigned>(route.methods) & static_cast<unsigned>(method_set::post)) != 0;
  if (takes_post && request.method() != http::verb::post) return {};
  switch (route.limit) {
    case rate_bucket::login:
      return {"login", &limits.login};
    case rate_bucket::acs:
      return {"acs", &limits.acs};
    case rate_bucket::forms:
      return {"forms", &limits.forms};
    case rate_bucket::none:
      break;
  }
  return {};
}

}  // namespace

bool request_handler::decide_reserved(const http::request_header<>& request,
                                      const reserved_route& route, const runtime& current,
                                      handler_result& result, deferred_step& rest) {
  const bool get = is_get_or_head(request);
  if (!method_allowed(route.methods, get, request.method() == http::verb::post)) {
    const bool json = result.notes.json;
    result = refuse(std::move(result), 405, "method_not_allowed", json);
    result.response->set(http::field::allow, allow_field(route.methods));
    return true;
  }
  switch (route.owner) {
    case endpoint_owner::files:
      result = serve_static_file(request, current, std::move(result));
      return true;
    case endpoint_owner::gateway:
      result = handle_gateway_endpoint(request, route.endpoint, current, std::move(result));
      return true;
    case endpoint_owner::login:
    case endpoint_owner::area:
    case endpoint_owner::legal:
      break;
  }
  // A page of varco's: its language switch leads back to it, and it may be gzipped.
  result.notes.page_target = page_of_request(get, request.target());
  result.notes.accepts_gzip = parse_accept_encoding(request[http::field::accept_encoding]).gzip;
  rest.waits_for = deferred_step::kind::endpoint;
  rest.reserved = &route;
  return false;
}

awaitable<handler_result> request_handler::run_endpoint(const http::request_header<>& request,
                                                        const reserved_route& route,
                                                        const runtime& current,
                                                        handler_result result) {
  if (const auto counted = limit_of(route, request, current.config->rate_limits); counted.limit) {
    const auto check = co_await check_rate_limit(owner_.login_state(), counted.scope,
                                                 result.notes.client, *counted.limit);
    if (check.outcome != rate_check::verdict::allowed)
      co_return owner_.login().rate_limited(std::move(result), check);
  }
  switch (route.owner) {
    case endpoint_owner::login:
      co_return co_await owner_.login().handle(route.endpoint, request, current, std::move(result));
    case endpoint_owner::area: {
      area_endpoints area(owner_.area());
      co_return co_await area.handle(route.endpoint, request, current, std::move(result));
    }
    case endpoint_owner::legal:
      co_return co_await legal_endpoints(owner_.sessions())
          .handle(route.endpoint, request, current, std::move(result));
    case endpoint_owner::files:
    case endpoint_owner::gateway:
      break;
  }
  const bool json = result.notes.json;
  co_return refuse(std::move(result), 404, "not_found", json);
}

awaitable<handler_result> request_handler::handle_body(
    const http::request<http::string_body>& request, const client_info& /*client*/,
    const runtime& current, handler_result result) {
  // The client's address went into result.notes.client with the header (decide()); the route is
  // the one decide_reserved() let read this body.
  const reserved_route* route = find_reserved_route(result.notes.path);
  if (route && route->owner == endpoint_owner::login) {
    co_return co_await owner_.login().handle_body(route->endpoint, request, current,
                                                  std::move(result));
  }
  if (route && route->owner == endpoint_owner::area) {
    area_endpoints area(owner_.area());
    co_return co_await area.handle_body(route->endpoint, request, current, std::move(result));
  }
  const bool json = result.notes.json;
  co_return refuse(std::move(result), 404, "not_found", json);
}

}  // namespace varco::gateway
