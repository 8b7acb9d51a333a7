// Everything the request path derives from one configuration: the config itself, the compiled
// route table, the directory snapshot and the JWT signer. Built once per (re)load, never mutated,
// shared by all workers (gateway/runtime.hpp builds and swaps it); in-flight requests finish on
// the one they started with.
#pragma once

#include "conf/config.hpp"
#include "directory/snapshot.hpp"
#include "gateway/http/gateway_cookies.hpp"
#include "gateway/routing/route_table.hpp"
#include "policies/jwt_signer.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace varco::gateway {

// The SPID/CIE Service Provider (gateway/login/saml_service.hpp): only the login endpoints look
// inside; the runtime carries it so a reload swaps it with the configuration it came from.
struct saml_service;  // gateway/login/saml_service.hpp
struct oidc_service;  // gateway/login/oidc_service.hpp

struct runtime {
  std::shared_ptr<const conf::config> config;
  route_table routes;
  std::shared_ptr<const directory::snapshot> directory;
  // The writable store's version the directory was read at; 0 for the YAML file.
  std::uint64_t directory_version = 0;
  std::shared_ptr<const policies::jwt_signer> signer;
  std::string jwks_json;
  std::string cookie_name;              // the session cookie's name, computed once
  gateway_cookies own_cookies;          // every cookie varco sets: never sent to a product
  std::uint64_t generation = 0;         // every swap (reloads and directory changes); never reused
  std::uint64_t config_generation = 0;  // successful configuration loads: 1 at start, +1 per reload
  // The SPID/CIE Service Provider; null when the config has no saml section.
  std::shared_ptr<const saml_service> saml;
  // The OpenID Connect Relying Party; null when the config has no oidc section.
  std::shared_ptr<const oidc_service> oidc;
};

}  // namespace varco::gateway
