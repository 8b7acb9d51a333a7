// The product path of request_handler: session, environment, policy, then the upstream request
// with the user's claims (after every client-sent identity header has been removed).
#include "gateway/http/cookies.hpp"
#include "gateway/http/forwarded.hpp"
#include "gateway/http/url_encoding.hpp"
#include "gateway/http/wire_format.hpp"
#include "gateway/pages/area_model.hpp"
#include "gateway/request_handler.hpp"
#include "gateway/routing/route_table.hpp"
#include "gateway/worker.hpp"
#include "policies/claim_headers.hpp"
#include "policies/decision.hpp"
#include "session/session_id.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/range/iterator_range.hpp>

namespace varco::gateway {
namespace {

// Headers the gateway always sets itself; a client copy (in any spelling) never goes upstream.
bool is_gateway_owned(std::string_view name) {
  static constexpr std::string_view owned[] = {"host",
                                               "cookie",
                                               "expect",
                                               "forwarded",
                                               "x-forwarded-for",
                                               "x-forwarded-proto",
                                               "x-forwarded-host",
                                               "x-forwarded-port",
                                               "x-real-ip",
                                               "x-request-id"};
  for (auto candidate : owned)
    if (beast::iequals(name, candidate)) return true;
  return false;
}

bool asks_websocket(const http::request_header<>& request, const request_fields& fields) {
  if (request.method() != http::verb::get) return false;
  if (!beast::iequals(fields.upgrade, "websocket")) return false;
  return http::token_list{fields.connection}.exists("upgrade");
}

std::string upstream_host_header(const conf::upstream_url& url) {
  const bool default_port = url.port == (url.https ? 443 : 80);
  return default_port ? url.host : url.host + ":" + std::to_string(url.port);
}

std::string upstream_target(const conf::upstream_url& url, const conf::product& product,
                            const route_match& route, std::string_view normalized_path,
                            std::string_view query, bool has_query) {
  std::string target = url.base_path;
  const bool strip = product.strip_path_prefix && !route.prefix.empty();
  const std::string_view path = strip ? std::string_view(route.path_in_product) : normalized_path;
  if (!target.empty() && path == "/" && strip)
    target += "/";
  else
    target += path;
  if (has_query) {
    target += '?';
    target += query;
  }
  return target;
}

}  // namespace

void request_handler::handle_product(const http::request_header<>& request,
                                     const client_info& client, const request_fields& fields,
                                     const runtime& current, const route_match& route,
                                     const target_parts& parts,
                                     std::optional<std::string_view> cookie_id,
                                     const session::session* found, handler_result& result) {
  const conf::config& config = *current.config;
  const conf::product& product = *route.product;
  const bool json = result.notes.json;
  const std::string_view query = parts.query;
  const bool has_query = parts.has_query;

  // 1. Who is it? (looked up by decide()/complete()): no session means login.
  if (!found) {
    if (json) {
      result = refuse(std::move(result), 401, "login_required", json);
      return;
    }
    result.notes.reason = "login_required";
    // A well-formed session cookie naming no session: it ended (idle or absolute timeout, logout
    // elsewhere), so the login page says so; either way the browser comes back here after login.
    const bool ended = cookie_id && session::looks_like_session_id(*cookie_id);
    result = redirect(std::move(result), login_redirect(request.target(), ended));
    return;
  }
  const session::session& user = *found;
  result.notes.party = user.selected_party;

  // 2. Which environment: the route may pin one, else the user's choice for this product.
  const conf::environment* environment = route.pinned_environment;
  if (!environment) {
    const auto chosen = user.environments.find(product.id);
    if (chosen != user.environments.end()) environment = product.find_environment(chosen->second);
  }
  if (!environment) {
    if (json) {
      result = refuse(std::move(result), 409, "environment_not_chosen", json);
      return;
    }
    result.notes.reason = "environment_not_chosen";
    result = redirect(std::move(result), "/area/environment?product=" + percent_encode(product.id) +
                                             "&return=" + percent_encode(request.target()));
    return;
  }
  result.notes.environment = environment->id;
  result.notes.environment_label = environment->label;

  // 3. May this user, through the selected party, reach this product, environment and path?
  const auto decision = policies::decide_access(product, *environment, user, *current.directory,
                                                route.path_in_product);
  const directory::party* party = current.directory->find_party(user.selected_party);
  if (!decision.allowed() || !decision.membership || !party) {
    result = refuse(std::move(result), 403,
                    decision.allowed() ? policies::reason::default_deny : decision.reason, json);
    return;
  }

  // 4. The claims as header lines, with the signed identity token: built and cached per session,
  // product, environment and party (signed again only near expiry, never per request).
  if (environment->mode == conf::environment_mode::redirect) {
    // The portal lives elsewhere (a route pinned to a redirect environment): the token is signed
    // only when the user chooses the environment by POST, never on a GET a link can trigger.
    result.notes.reason = "redirect_environment";
    result = redirect(std::move(result), "/area/environment?product=" + percent_encode(product.id));
    return;
  }
  const std::string& claims_block =
      owner_.claims_block(current, user, *party, *decision.membership, product, *environment);

  // 5. The upstream request head: the client's fields minus hop-by-hop, identity and
  // gateway-owned ones, then the gateway's own. Serialised once, written in one go.
  proxy_target& target = result.proxy.emplace();
  target.product = &product;
  target.environment = environment;
  target.upstream = &environment->upstreams[owner_.next_upstream(environment->upstreams.size())];
  target.method = request.method();
  target.request_id = result.notes.request_id;
  target.websocket = asks_websocket(request, fields);
  target.own_cookies = &current.own_cookies;
  result.notes.upstream = target.upstream->text;

  std::string& head = target.head;
  head = owner_.take_head_buffer();
  head.reserve(1024 + claims_block.size());
  head.append(request.method_string());
  head.push_back(' ');
  head.append(
      upstream_target(*target.upstream, product, route, result.notes.path, query, has_query));
  head.append(" HTTP/1.1\r\n");
  const conf::claims& claims = product.claims;
  const connection_scope scope(fields.connection, fields.proxy_connection);
  // A chunked body is re-framed by the proxy; a Content-Length beside it must not travel (the
  // two together are the classic request-smuggling shape).
  const bool chunked = !fields.transfer_encoding.empty();
  // The client's own cookies travel, in its order, as one field (RFC 9113 8.2.3's joining, for
  // clients behind HTTP/2 front ends that split them); varco's cookies never do.
  std::string product_cookies;
  for (const auto& field : request) {
    if (field.name() == http::field::cookie) {
      current.own_cookies.append_product_cookies(field.value(), product_cookies);
      continue;
    }
    const auto name = field.name_string();
    // Underscore spellings are dropped outright (as nginx does): CGI-style upstreams fold
    // "X_Varco_User" and "X-Varco-User" into one variable.
    if (name.find('_') != std::string_view::npos) continue;
    if (policies::in_claims_namespace(name, claims) || is_gateway_owned(name)) continue;
    if (scope.excludes(name)) continue;
    if (chunked && field.name() == http::field::content_length) continue;
    append_field(head, name, field.value());
  }
  if (!product_cookies.empty()) append_field(head, "Cookie", product_cookies);
  if (target.websocket) {
    append_field(head, "Connection", "Upgrade");
    append_field(head, "Upgrade", fields.upgrade);
  }
  append_field(head, "Host", upstream_host_header(*target.upstream));
  const forwarded_in incoming{fields.x_forwarded_for, fields.x_forwarded_proto,
                              fields.x_forwarded_host, client.peer_text};
  const auto forwarded = compute_forwarded(client.peer, config.server.trusted_proxies, incoming,
                                           client.tls ? "https" : "http", fields.host);
  append_field(head, "X-Forwarded-For", forwarded.x_forwarded_for);
  append_field(head, "X-Forwarded-Proto", forwarded.x_forwarded_proto);
  if (!forwarded.x_forwarded_host.empty())
    append_field(head, "X-Forwarded-Host", forwarded.x_forwarded_host);
  append_field(head, "X-Request-Id", result.notes.request_id);
  head.append(claims_block);

  result.expect_continue = beast::iequals(fields.expect, "100-continue");
}

}  // namespace varco::gateway
