#include "gateway/request_handler.hpp"

#include "gateway/http/cookies.hpp"
#include "gateway/http/error_page.hpp"
#include "gateway/http/forwarded.hpp"
#include "gateway/http/path_normalizer.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/pages/page_language.hpp"
#include "gateway/pages/page_notice.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/static_assets.hpp"
#include "gateway/portal/static_files.hpp"
#include "gateway/request_services.hpp"
#include "gateway/routing/reserved_routes.hpp"
#include "policies/decision.hpp"

#include <boost/range/iterator_range.hpp>

namespace varco::gateway {

bool wants_json_request(const http::request_header<>& request) {
  return wants_json(request[http::field::accept]);
}

namespace {

// The session cookie's value, from whichever Cookie field carries it.
std::optional<std::string_view> find_session_cookie(const request_fields& fields,
                                                    std::string_view name) {
  for (std::size_t i = 0; i < fields.cookie_count; ++i)
    if (auto value = find_cookie(fields.cookies[i], name)) return value;
  return std::nullopt;
}

}  // namespace

http::response<http::string_body> request_handler::error_response(
    unsigned status, std::string_view reason, const exchange_notes& notes, bool json,
    const std::string& request_id) const {
  return gateway::error_response(*owner_.current_runtime(), status, reason, notes, json,
                                 request_id);
}

handler_result request_handler::refuse(handler_result result, unsigned status,
                                       std::string_view reason, bool json) const {
  result.notes.reason = reason;
  result.response = error_response(status, reason, result.notes, json, result.notes.request_id);
  return result;
}

handler_result request_handler::redirect(handler_result result, std::string_view location) const {
  result.response =
      redirect_response(http::status::found, location, result.notes.request_id, result.notes.tls,
                        owner_.current_runtime()->config->server.plain_http);
  return result;
}

bool request_handler::decide(const http::request_header<>& request, const client_info& client,
                             const runtime& current, handler_result& result, deferred_step& rest) {
  const request_fields fields = gather_request_fields(request);
  const bool json = wants_json(fields.accept);
  result.notes.request_id = owner_.request_id_for(fields.x_request_id, client);
  result.notes.json = json;
  result.notes.tls = client.tls;
  result.notes.client = client_address(fields.x_forwarded_for, client.peer, client.peer_text,
                                       current.config->server.trusted_proxies);
  if (!json) {
    // The language of the page varco may answer with (its own pages, its error pages).
    const auto choice =
        choose_language(request.target(), {fields.cookies.data(), fields.cookie_count});
    result.notes.lang = choice.lang;
    result.notes.language_chosen = choice.from_query;
  }

  // Framing and target must be unambiguous before anything else looks at the request: one Host
  // (RFC 9112 3.2), and a Transfer-Encoding, if any, that is one field ending in chunked
  // (RFC 9112 6.3). Anything else is how requests are smuggled past one parser to another.
  if (fields.host_count > 1) {
    result = refuse(std::move(result), 400, "duplicate_host", json);
    return true;
  }
  if (fields.content_length_count > 1) {
    // Even equal ones (as nginx does): the upstream must never see two, whatever it makes of them.
    result = refuse(std::move(result), 400, "duplicate_content_length", json);
    return true;
  }
  if (fields.transfer_encoding_count > 1 ||
      (fields.transfer_encoding_count == 1 && !final_coding_is_chunked(fields.transfer_encoding))) {
    result = refuse(std::move(result), 400, "bad_transfer_encoding", json);
    return true;
  }
  if (fields.transfer_encoding_count == 1 && !only_chunked(fields.transfer_encoding)) {
    // "gzip, chunked": the proxy undoes chunked only, so the body would go on with its gzip
    // coding but without its label (RFC 9112 6.1: 501 for a coding the server does not do).
    result = refuse(std::move(result), 501, "transfer_coding_unsupported", json);
    return true;
  }
  if (fields.content_length_count == 1 && !is_plain_length(fields.content_length)) {
    // Beast takes "4, 4" as 4 and would forward the list as written (RFC 9110 8.6 allows a
    // recipient either reading; an upstream choosing otherwise is how bodies get smuggled).
    result = refuse(std::move(result), 400, "bad_content_length", json);
    return true;
  }

  const target_parts parts = split_target(request.target());
  auto normalized = normalize_path(parts.path);
  if (!normalized) {
    const auto reason = normalized.error().category() == path_category()
                            ? reason_code(static_cast<path_errc>(normalized.error().value()))
                            : std::string_view("bad_path");
    result = refuse(std::move(result), 400, reason, json);
    return true;
  }
  result.notes.path = std::move(*normalized);
  const std::string& path = result.notes.path;
  // varco's own paths: one table says who answers, with which methods and body cap.
  const reserved_route* own = find_reserved_route(path);
  if (own) result.notes.route = own->kind;

  // The body limit, one decision for every request before any endpoint or policy does work:
  // varco's own paths read at most their route's cap (0: they read no body, whatever is
  // declared), products up to limits.body_bytes. A declared length over it is refused before a
  // byte of the body is read; the connection cuts a chunked body at it as it streams.
  result.body_limit = own ? own->max_body_bytes : current.config->server.limits.body_bytes;
  if ((result.body_limit != 0 || !own) && fields.content_length_count == 1 &&
      length_exceeds(fields.content_length, result.body_limit)) {
    result = refuse(std::move(result), 413, "body_too_large", json);
    return true;
  }
  if (own) return decide_reserved(request, *own, current, result, rest);

  // HTTP/1.1 requires Host; a request without one cannot be routed by host safely.
  const std::string_view host = fields.host;
  if (request.version() >= 11 && host.empty()) {
    result = refuse(std::move(result), 400, "missing_host", json);
    return true;
  }

  auto route = current.routes.match(host, path);
  if (!route) {
    // The browser's icon request on varco's own pages; a product route may claim the path.
    if (path == favicon_path) {
      result.notes.route = route_class::static_files;
      result = serve_favicon(request, current, std::move(result));
      return true;
    }
    result = refuse(std::move(result), 404, "no_route", json);
    return true;
  }
  result.notes.route = route_class::product;
  result.notes.product = route->product->id;
  result.notes.product_title = route->product->title;

  // Who is it? Only a live server-side session counts; no cookie or an unknown one means login.
  const auto cookie_id = find_session_cookie(fields, current.cookie_name);
  if (cookie_id) {
    auto cached = owner_.sessions().find_cached(*cookie_id);
    if (!cached) {
      rest.waits_for = deferred_step::kind::session_lookup;
      rest.route = std::move(route);
      rest.parts = parts;
      rest.fields = fields;
      rest.cookie_id = *cookie_id;
      return false;
    }
    owner_.note_session_lookup(*cached != nullptr, false);
    handle_product(request, client, fields, current, *route, parts, cookie_id, cached->get(),
                   result);
    return true;
  }
  handle_product(request, client, fields, current, *route, parts, cookie_id, nullptr, result);
  return true;
}

awaitable<void> request_handler::complete(const http::request_header<>& request,
                                          const client_info& client, const runtime& current,
                                          handler_result& result, deferred_step& rest) {
  if (rest.waits_for == deferred_step::kind::endpoint) {
    result = co_await run_endpoint(request, *rest.reserved, current, std::move(result));
    co_return;
  }
  auto looked_up = co_await owner_.sessions().find_in_store(rest.cookie_id);
  owner_.note_session_lookup(false, !looked_up);
  if (!looked_up) {
    const bool json = result.notes.json;
    result = refuse(std::move(result), 503, "store_unavailable", json);
    co_return;
  }
  handle_product(request, client, rest.fields, current, *rest.route, rest.parts, rest.cookie_id,
                 looked_up->get(), result);
}

}  // namespace varco::gateway
