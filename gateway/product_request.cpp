// The product path of request_handler: session, environment, policy, then the upstream request
// with the user's claims (after every client-sent identity header has been removed).
#include "gateway/http/cookies.hpp"
#include "gateway/http/url_encoding.hpp"
#include "gateway/pages/area_model.hpp"
#include "gateway/request_handler.hpp"
#include "gateway/request_services.hpp"
#include "gateway/routing/route_table.hpp"
#include "gateway/upstream_head.hpp"
#include "policies/decision.hpp"
#include "session/session_id.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/range/iterator_range.hpp>

namespace varco::gateway {
namespace {

bool asks_websocket(const http::request_header<>& request, const request_fields& fields) {
  if (request.method() != http::verb::get) return false;
  if (!beast::iequals(fields.upgrade, "websocket")) return false;
  return http::token_list{fields.connection}.exists("upgrade");
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
  const upstream_head_inputs inputs{product,
                                    *target.upstream,
                                    route,
                                    result.notes.path,
                                    parts,
                                    current.own_cookies,
                                    config.server.trusted_proxies,
                                    result.notes.request_id,
                                    claims_block,
                                    target.websocket};
  append_upstream_head(head, request, fields, client, inputs);

  result.expect_continue = beast::iequals(fields.expect, "100-continue");
}

}  // namespace varco::gateway
