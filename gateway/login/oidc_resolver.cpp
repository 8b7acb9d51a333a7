#include "gateway/login/oidc_resolver.hpp"

#include "federation/entity_statement.hpp"
#include "gateway/outbound/fetch_url.hpp"
#include "gateway/outbound/freshness.hpp"
#include "jose/algorithms.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <span>

namespace varco::gateway {
namespace {

using clock = std::chrono::system_clock;

resolve_failure failed(std::string_view reason, std::string detail) {
  return {reason, std::move(detail)};
}

struct fetched {
  std::string body;
  std::string cache_control;
};

boost::system::result<fetched, resolve_failure> checked(const fetch_result& got,
                                                        std::string_view url) {
  if (!got)
    return failed("provider_unreachable",
                  std::string(url) + ": " + std::string(reason_code(got.error())));
  if (got->status != 200)
    return failed("provider_refused",
                  std::string(url) + " answered " + std::to_string(got->status));
  return fetched{got->body, got->cache_control};
}

awaitable<boost::system::result<fetched, resolve_failure>> get(fetcher& fetch,
                                                               const conf::oidc& config,
                                                               std::string url,
                                                               std::string accept) {
  fetch_request request;
  request.url = url;
  request.headers.emplace_back("Accept", std::move(accept));
  request.max_body_bytes = config.max_document_bytes;
  request.timeout = config.fetch_timeout;
  auto got = co_await fetch.fetch(std::move(request));
  co_return checked(got, url);
}

// How long a fetched document holds: its Cache-Control within [5 minutes, metadata_refresh];
// a response that says nothing about caching holds for metadata_refresh.
std::chrono::seconds lifetime(const fetched& document, const conf::oidc& config) {
  const auto cap = std::chrono::duration_cast<std::chrono::seconds>(config.metadata_refresh);
  if (document.cache_control.empty()) return cap;
  return freshness(document.cache_control,
                   std::min<std::chrono::seconds>(std::chrono::minutes(5), cap), cap);
}

std::string without_trailing_slash(std::string url) {
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

std::string string_member(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// An endpoint must be a URL varco can fetch (https, or http where the issuer is http).
bool usable_endpoint(const std::string& url, const std::string& issuer) {
  if (url.empty()) return false;
  const auto parsed = parse_fetch_url(url);
  if (!parsed) return false;
  return parsed->https || issuer.rfind("http://", 0) == 0;
}

// The endpoints and algorithms of provider metadata (discovery document or openid_provider).
boost::system::result<resolved_provider, resolve_failure> read_metadata(
    const boost::json::object& metadata, const conf::oidc_provider& provider) {
  resolved_provider out;
  out.issuer = string_member(metadata, "issuer");
  if (out.issuer != provider.issuer)
    return failed("issuer_mismatch",
                  "metadata names issuer \"" + out.issuer + "\", not \"" + provider.issuer + "\"");
  out.authorization_endpoint = string_member(metadata, "authorization_endpoint");
  out.token_endpoint = string_member(metadata, "token_endpoint");
  out.userinfo_endpoint = string_member(metadata, "userinfo_endpoint");
  out.revocation_endpoint = string_member(metadata, "revocation_endpoint");
  out.end_session_endpoint = string_member(metadata, "end_session_endpoint");
  out.jwks_uri = string_member(metadata, "jwks_uri");
  for (const std::string* url : {&out.authorization_endpoint, &out.token_endpoint}) {
    if (!usable_endpoint(*url, provider.issuer))
      return failed("discovery_invalid", "an endpoint is missing or not https: \"" + *url + "\"");
  }
  for (std::string* url : {&out.userinfo_endpoint, &out.revocation_endpoint,
                           &out.end_session_endpoint, &out.jwks_uri}) {
    if (!url->empty() && !usable_endpoint(*url, provider.issuer))
      return failed("discovery_invalid", "an endpoint is not https: \"" + *url + "\"");
  }
  if (provider.userinfo && out.userinfo_endpoint.empty())
    return failed("discovery_invalid", "no userinfo_endpoint");
  if (const auto* algs = metadata.if_contains("id_token_signing_alg_values_supported");
      algs && algs->is_array()) {
    for (const auto& alg : algs->get_array()) {
      if (alg.is_string() && jose::find_signature_algorithm(alg.get_string()) != nullptr)
        out.id_token_algorithms.emplace_back(alg.get_string());
    }
    if (out.id_token_algorithms.empty())
      return failed("discovery_invalid", "no ID Token signing algorithm varco accepts");
  }
  return out;
}

// The keys: inline (the SPID/CIE profile publishes them in the metadata) or from jwks_uri.
awaitable<boost::system::result<void, resolve_failure>> load_keys(
    fetcher& fetch, const conf::oidc& config, const boost::json::object& metadata,
    resolved_provider& out, std::chrono::seconds& freshest) {
  if (const auto* inline_keys = metadata.if_contains("jwks");
      inline_keys && inline_keys->is_object()) {
    auto keys =
        jose::jwk_set::parse(boost::json::serialize(*inline_keys), config.max_document_bytes);
    if (!keys || keys->keys().empty()) co_return failed("jwks_invalid", "the metadata's jwks");
    out.keys = std::move(*keys);
    co_return boost::system::result<void, resolve_failure>{};
  }
  if (out.jwks_uri.empty()) co_return failed("discovery_invalid", "neither jwks nor jwks_uri");
  auto got =
      co_await get(fetch, config, out.jwks_uri, "application/jwk-set+json, application/json");
  if (!got) co_return got.error();
  auto keys = jose::jwk_set::parse(got->body, config.max_document_bytes);
  if (!keys || keys->keys().empty())
    co_return failed("jwks_invalid", out.jwks_uri + " is not a JWK set with a key");
  out.keys = std::move(*keys);
  freshest = std::min(freshest, lifetime(*got, config));
  co_return boost::system::result<void, resolve_failure>{};
}

awaitable<resolve_result> discover(fetcher& fetch, const conf::oidc& config,
                                   const conf::oidc_provider& provider, clock::time_point now) {
  const std::string url =
      without_trailing_slash(provider.issuer) + "/.well-known/openid-configuration";
  auto got = co_await get(fetch, config, url, "application/json");
  if (!got) co_return got.error();
  boost::system::error_code ec;
  auto document = boost::json::parse(got->body, ec);
  if (ec || !document.is_object())
    co_return failed("discovery_invalid", url + " is not a JSON object");
  auto resolved = read_metadata(document.get_object(), provider);
  if (!resolved) co_return resolved.error();
  auto fresh = lifetime(*got, config);
  auto keys = co_await load_keys(fetch, config, document.get_object(), *resolved, fresh);
  if (!keys) co_return keys.error();
  resolved->resolved_at = now;
  resolved->expires = now + fresh;
  co_return std::move(*resolved);
}

// The Entity Configuration of `entity_id`, fetched; its claims read (not yet verified).
awaitable<
    boost::system::result<std::pair<std::string, federation::entity_statement>, resolve_failure>>
fetch_configuration(fetcher& fetch, const conf::oidc& config, const std::string& entity_id) {
  const std::string url = without_trailing_slash(entity_id) + "/.well-known/openid-federation";
  auto got = co_await get(fetch, config, url, "application/entity-statement+jwt");
  if (!got) co_return got.error();
  auto statement = federation::read_statement(got->body);
  if (!statement)
    co_return failed(federation::reason_code(statement.error().code),
                     url + ": " + statement.error().detail);
  if (statement->iss != entity_id || statement->sub != entity_id)
    co_return failed("chain_broken", url + " is not " + entity_id + "'s own configuration");
  co_return std::pair{std::move(got->body), std::move(*statement)};
}

const federation::trust_anchor* anchor_named(std::span<const federation::trust_anchor> anchors,
                                             std::string_view id) {
  for (const auto& anchor : anchors)
    if (anchor.entity_id == id) return &anchor;
  return nullptr;
}

awaitable<resolve_result> resolve_in_federation(fetcher& fetch, const oidc_service& service,
                                                const conf::oidc_provider& provider,
                                                clock::time_point now) {
  const auto& config = *service.config;
  auto leaf = co_await fetch_configuration(fetch, config, provider.issuer);
  if (!leaf) co_return leaf.error();
  std::vector<std::string> chain{leaf->first};
  federation::entity_statement current = std::move(leaf->second);
  for (int hop = 0;; ++hop) {
    if (hop >= max_federation_hops)
      co_return failed("chain_too_long", "no trust anchor within " +
                                             std::to_string(max_federation_hops) + " superiors");
    if (current.authority_hints.empty())
      co_return failed("chain_untrusted",
                       current.sub + " names no superior and is no trust anchor");
    // A configured anchor among the hints is taken first: the shortest chain to a trusted root.
    std::string superior_id = current.authority_hints.front();
    for (const auto& hint : current.authority_hints)
      if (anchor_named(service.anchors, hint) != nullptr) superior_id = hint;
    // Read before any signature is checked: only https URLs are followed (http only when the
    // provider itself is on http, in local development).
    if (!usable_endpoint(superior_id, provider.issuer))
      co_return failed("chain_broken", "authority hint \"" + superior_id + "\" is not https");
    auto superior = co_await fetch_configuration(fetch, config, superior_id);
    if (!superior) co_return superior.error();
    std::string endpoint;
    if (const auto* entity = superior->second.metadata.if_contains("federation_entity");
        entity && entity->is_object())
      endpoint = string_member(entity->get_object(), "federation_fetch_endpoint");
    if (!usable_endpoint(endpoint, provider.issuer))
      co_return failed("chain_broken", superior_id + " has no federation_fetch_endpoint");
    const auto url = append_query(endpoint, "sub", current.sub);
    auto statement = co_await get(fetch, config, url, "application/entity-statement+jwt");
    if (!statement) co_return statement.error();
    chain.push_back(std::move(statement->body));
    if (anchor_named(service.anchors, superior_id) != nullptr) {
      chain.push_back(std::move(superior->first));
      break;
    }
    current = std::move(superior->second);
  }

  federation::chain_request request{"openid_provider", config.federation.required_trust_marks, now};
  auto entity = federation::validate_chain(chain, service.anchors, request);
  if (!entity)
    co_return failed(federation::reason_code(entity.error().code), entity.error().detail);
  auto resolved = read_metadata(entity->metadata, provider);
  if (!resolved) co_return resolved.error();
  auto fresh = std::chrono::duration_cast<std::chrono::seconds>(config.metadata_refresh);
  auto keys = co_await load_keys(fetch, config, entity->metadata, *resolved, fresh);
  if (!keys) co_return keys.error();
  resolved->trust_anchor = entity->trust_anchor;
  resolved->resolved_at = now;
  resolved->expires = std::min(entity->expires, now + fresh);
  co_return std::move(*resolved);
}

}  // namespace

awaitable<resolve_result> resolve_provider(fetcher& fetch, const oidc_service& service,
                                           const conf::oidc_provider& provider,
                                           clock::time_point now) {
  if (provider.kind == conf::oidc_provider_kind::oidc)
    co_return co_await discover(fetch, *service.config, provider, now);
  co_return co_await resolve_in_federation(fetch, service, provider, now);
}

}  // namespace varco::gateway
