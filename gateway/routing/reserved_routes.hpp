// Every path varco answers itself, declared once: which endpoint serves it, with which methods,
// the largest body it reads, the rate limit counted before it runs, and its class in the access
// log and the metrics. The request handler dispatches from this table (gateway/request_handler*)
// and the product route table refuses a product prefix inside it (route_table.cpp).
//
// A namespace entry reserves a folder ("/saml", "/area", "/.well-known", ...) and everything
// below it that no other entry names: such a path is answered by varco (404), never proxied.
#pragma once

#include "gateway/routing/body_limits.hpp"
#include "gateway/routing/route_class.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace varco::gateway {

// Who answers; the request handler gives the request to that module.
enum class endpoint_owner : std::uint8_t {
  login,    // gateway/login: the login page, SAML, OpenID Connect, Esci
  area,     // gateway/portal: the Area Riservata's pages and forms
  legal,    // gateway/portal: /terms, /privacy
  files,    // gateway/portal: /static/...
  gateway,  // the server itself: health, readiness, metrics, JWKS, and the namespaces' 404
};

enum class reserved_endpoint : std::uint8_t {
  login_page,
  autopost_script,
  saml_metadata,
  saml_metadata_cie,
  saml_login,
  saml_acs,
  saml_slo,
  oidc_login,
  oidc_callback,
  oidc_logged_out,
  oidc_backchannel_logout,
  openid_federation,
  logout,
  area_overview,
  area_environment,
  area_party,
  area_users,
  area_member,
  area_join,
  area_delegations,
  area_support,
  area_support_sent,
  area_unknown,  // below /area but no page: 404 in the signed-in user's frame
  terms,
  privacy,
  static_file,
  healthz,
  readyz,
  metrics,
  jwks,
  not_found,  // a reserved namespace's path that names no endpoint
};

// The methods an endpoint answers; GET includes HEAD. Anything else gets 405 with Allow.
enum class method_set : std::uint8_t { get = 1, post = 2, get_post = 3, any = 7 };

// The rate-limit counter a request takes before its endpoint runs (conf rate_limits.*).
enum class rate_bucket : std::uint8_t { none, login, acs, forms };

enum class path_match : std::uint8_t {
  exact,      // the path itself
  namespace_  // the path and everything below it (segment by segment)
};

struct reserved_route {
  std::string_view path;
  path_match match;
  method_set methods;
  endpoint_owner owner;
  reserved_endpoint endpoint;
  route_class kind;
  std::size_t max_body_bytes;  // a POST's form; 0: no body is read
  rate_bucket limit;           // counted for POST when the route takes POST, else for GET
};

// The whole table, in declaration order (the tests iterate it).
std::span<const reserved_route> reserved_routes() noexcept;

// The route of a normalised path: its exact entry, else the namespace that holds it; null when
// the path is not varco's (a product's, if a product route matches).
const reserved_route* find_reserved_route(std::string_view normalized_path) noexcept;

inline bool is_reserved_path(std::string_view normalized_path) noexcept {
  return find_reserved_route(normalized_path) != nullptr;
}

// The body cap of a reserved path (0 when it reads none).
inline std::size_t reserved_body_limit(std::string_view normalized_path) noexcept {
  const reserved_route* route = find_reserved_route(normalized_path);
  return route ? route->max_body_bytes : 0;
}

// Whether `methods` admits the request's method; GET admits HEAD.
bool method_allowed(method_set methods, bool is_get_or_head, bool is_post) noexcept;
// The Allow field of a 405 for `methods`.
std::string_view allow_field(method_set methods) noexcept;

}  // namespace varco::gateway
