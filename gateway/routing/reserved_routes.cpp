#include "gateway/routing/reserved_routes.hpp"

#include <array>

namespace varco::gateway {
namespace {

using enum endpoint_owner;
using enum reserved_endpoint;
constexpr auto exact = path_match::exact;
constexpr auto folder = path_match::namespace_;
constexpr auto get = method_set::get;
constexpr auto post = method_set::post;
constexpr auto get_post = method_set::get_post;
constexpr auto any = method_set::any;

// Exact entries first, then the namespaces; find_reserved_route() relies on that order.
constexpr std::array table{
    // path                       match  methods   owner    endpoint           class body limit
    reserved_route{"/login", exact, get, login, login_page, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/static/varco/autopost.js", exact, get, login, autopost_script,
                   route_class::static_files, 0, rate_bucket::none},
    reserved_route{"/saml/metadata", exact, get, login, saml_metadata, route_class::saml, 0,
                   rate_bucket::none},
    reserved_route{"/saml/metadata/cie", exact, get, login, saml_metadata_cie, route_class::saml, 0,
                   rate_bucket::none},
    reserved_route{"/saml/login", exact, get, login, saml_login, route_class::saml, 0,
                   rate_bucket::login},
    reserved_route{"/saml/acs", exact, post, login, saml_acs, route_class::saml, saml_form_bytes,
                   rate_bucket::acs},
    reserved_route{"/saml/slo", exact, get_post, login, saml_slo, route_class::saml,
                   saml_form_bytes, rate_bucket::none},
    reserved_route{"/oidc/login", exact, get, login, oidc_login, route_class::oidc, 0,
                   rate_bucket::login},
    reserved_route{"/oidc/callback", exact, get, login, oidc_callback, route_class::oidc, 0,
                   rate_bucket::acs},
    reserved_route{"/oidc/logged-out", exact, get, login, oidc_logged_out, route_class::oidc, 0,
                   rate_bucket::none},
    reserved_route{"/oidc/backchannel-logout", exact, post, login, oidc_backchannel_logout,
                   route_class::oidc, logout_token_form_bytes, rate_bucket::none},
    reserved_route{"/.well-known/openid-federation", exact, get, login, openid_federation,
                   route_class::oidc, 0, rate_bucket::none},
    reserved_route{"/logout", exact, post, login, logout, route_class::portal, short_form_bytes,
                   rate_bucket::none},
    reserved_route{"/area", exact, get, area, area_overview, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/area/environment", exact, get_post, area, area_environment,
                   route_class::portal, short_form_bytes, rate_bucket::forms},
    reserved_route{"/area/party", exact, post, area, area_party, route_class::portal,
                   short_form_bytes, rate_bucket::forms},
    reserved_route{"/area/users", exact, get_post, area, area_users, route_class::portal,
                   short_form_bytes, rate_bucket::forms},
    reserved_route{"/area/users/member", exact, get_post, area, area_member, route_class::portal,
                   short_form_bytes, rate_bucket::forms},
    reserved_route{"/area/join", exact, get_post, area, area_join, route_class::portal,
                   short_form_bytes, rate_bucket::forms},
    reserved_route{"/area/delegations", exact, get, area, area_delegations, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/area/support", exact, get_post, area, area_support, route_class::portal,
                   support_form_bytes, rate_bucket::forms},
    reserved_route{"/area/support/sent", exact, get, area, area_support_sent, route_class::portal,
                   0, rate_bucket::none},
    reserved_route{"/terms", exact, get, legal, terms, route_class::portal, 0, rate_bucket::none},
    reserved_route{"/privacy", exact, get, legal, privacy, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/healthz", exact, get, gateway, healthz, route_class::health, 0,
                   rate_bucket::none},
    reserved_route{"/readyz", exact, get, gateway, readyz, route_class::health, 0,
                   rate_bucket::none},
    reserved_route{"/metrics", exact, get, gateway, metrics, route_class::health, 0,
                   rate_bucket::none},
    reserved_route{"/.well-known/jwks.json", exact, get, gateway, jwks, route_class::health, 0,
                   rate_bucket::none},
    // The namespaces: what is below them and named above is 404 from varco, never a product's.
    reserved_route{"/static", folder, get, files, static_file, route_class::static_files, 0,
                   rate_bucket::none},
    reserved_route{"/area", folder, any, area, area_unknown, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/saml", folder, any, gateway, not_found, route_class::saml, 0,
                   rate_bucket::none},
    reserved_route{"/oidc", folder, any, gateway, not_found, route_class::oidc, 0,
                   rate_bucket::none},
    reserved_route{"/login", folder, any, gateway, not_found, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/logout", folder, any, gateway, not_found, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/terms", folder, any, gateway, not_found, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/privacy", folder, any, gateway, not_found, route_class::portal, 0,
                   rate_bucket::none},
    reserved_route{"/healthz", folder, any, gateway, not_found, route_class::health, 0,
                   rate_bucket::none},
    reserved_route{"/readyz", folder, any, gateway, not_found, route_class::health, 0,
                   rate_bucket::none},
    reserved_route{"/metrics", folder, any, gateway, not_found, route_class::health, 0,
                   rate_bucket::none},
    reserved_route{"/.well-known", folder, any, gateway, not_found, route_class::health, 0,
                   rate_bucket::none},
};

constexpr std::size_t first_namespace = [] {
  std::size_t i = 0;
  while (i < table.size() && table[i].match == path_match::exact) ++i;
  return i;
}();
static_assert(
    [] {
      for (std::size_t i = first_namespace; i < table.size(); ++i)
        if (table[i].match != path_match::namespace_) return false;
      return true;
    }(),
    "exact entries come before the namespaces");

// The path's first segment: "/area/users" → "/area"; "/" → "/".
constexpr std::string_view top_segment(std::string_view path) noexcept {
  const auto slash = path.find('/', 1);
  return slash == std::string_view::npos ? path : path.substr(0, slash);
}

}  // namespace

std::span<const reserved_route> reserved_routes() noexcept { return table; }

const reserved_route* find_reserved_route(std::string_view path) noexcept {
  // Every exact entry lies inside a namespace, so a path outside all of them (a product's: the
  // common case) costs one comparison per namespace.
  const std::string_view top = top_segment(path);
  const reserved_route* holder = nullptr;
  for (std::size_t i = first_namespace; i < table.size(); ++i) {
    if (table[i].path == top) {
      holder = &table[i];
      break;
    }
  }
  if (!holder) return nullptr;
  for (std::size_t i = 0; i < first_namespace; ++i)
    if (table[i].path == path) return &table[i];
  return holder;
}

bool method_allowed(method_set methods, bool is_get_or_head, bool is_post) noexcept {
  const auto bits = static_cast<unsigned>(methods);
  if (methods == method_set::any) return true;
  if (is_get_or_head) return (bits & static_cast<unsigned>(method_set::get)) != 0;
  if (is_post) return (bits & static_cast<unsigned>(method_set::post)) != 0;
  return false;
}

std::string_view allow_field(method_set methods) noexcept {
  switch (methods) {
    case method_set::get:
      return "GET, HEAD";
    case method_set::post:
      return "POST";
    case method_set::get_post:
      return "GET, HEAD, POST";
    case method_set::any:
      break;
  }
  return "GET, HEAD, POST";
}

}  // namespace varco::gateway
