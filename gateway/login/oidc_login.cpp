// GET /oidc/login?provider=<id>[&level=1|2|3][&return=<local path>]: one step to the provider,
// and the provider metadata every OpenID Connect endpoint uses (resolved, cached, refreshed).
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/http/return_path.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/oidc_pending.hpp"
#include "gateway/login/oidc_resolver.hpp"
#include "gateway/outbound/http_fetcher.hpp"
#include "oidc/authorization.hpp"
#include "session/session_id.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

using clock = std::chrono::system_clock;

// The SPID acr value of `level` (CIE uses the same values).
std::string spid_acr(int level) { return "https://www.spid.gov.it/SpidL" + std::to_string(level); }

// The claims request (OpenID Connect Core §5.5): the configured claims, from UserInfo.
std::string claims_request(const conf::oidc_provider& provider) {
  if (provider.claims.empty()) return {};
  boost::json::object userinfo;
  for (const auto& claim : provider.claims) userinfo[claim] = nullptr;
  return boost::json::serialize(boost::json::object{{"userinfo", std::move(userinfo)}});
}

// Resolves `provider` and keeps the result for every worker. Failures are logged here.
using stored_result =
    boost::system::result<std::shared_ptr<const resolved_provider>, resolve_failure>;

awaitable<stored_result> resolve_and_store(std::shared_ptr<const oidc_service> service,
                                           std::shared_ptr<const conf::config> config,
                                           const conf::oidc_provider& provider) {
  http_fetcher fetch(*service->tls);
  auto resolved = co_await resolve_provider(fetch, *service, provider, clock::now());
  service->providers->end_refresh(provider.id);
  if (!resolved) {
    spdlog::warn("oidc: provider {} ({}) not usable: {} (reason={})", provider.id, provider.issuer,
                 resolved.error().detail, resolved.error().reason);
    co_return resolved.error();
  }
  spdlog::info("oidc: provider {} resolved: {} keys{}{}", provider.id, resolved->keys.keys().size(),
               resolved->trust_anchor.empty() ? "" : ", trust anchor ", resolved->trust_anchor);
  auto stored = std::make_shared<const resolved_provider>(std::move(*resolved));
  service->providers->store(provider.id, stored);
  (void)config;  // kept alive while `provider` (inside it) is read
  co_return stored;
}

}  // namespace

awaitable<std::shared_ptr<const resolved_provider>> login_endpoints::provider_metadata(
    const runtime& current, const conf::oidc_provider& provider, bool keys_changed,
    resolve_failure& why) {
  const auto& service = current.oidc;
  auto cached = service->providers->find(provider.id);
  const auto now = clock::now();
  if (cached && !keys_changed && now < cached->expires) {
    // Past four fifths of its life the copy is refreshed in the background, so logins do not
    // wait for the provider when it expires.
    const auto age = now - cached->resolved_at;
    const auto life = cached->expires - cached->resolved_at;
    if (age * 5 > life * 4 &&
        service->providers->begin_refresh(provider.id, std::chrono::seconds(30))) {
      asio::co_spawn(co_await asio::this_coro::executor,
                     resolve_and_store(service, current.config, provider), asio::detached);
    }
    co_return cached;
  }
  // An unknown kid may be a rotation: the keys are fetched again, but at most every 30 s, so a
  // token with a made-up kid cannot turn every request into a fetch.
  if (cached && keys_changed &&
      !service->providers->begin_refresh(provider.id, std::chrono::seconds(30)))
    co_return cached;
  auto resolved = co_await resolve_and_store(service, current.config, provider);
  if (resolved) co_return *resolved;
  why = resolved.error();
  // A discovery document that cannot be fetched right now does not end logins at once: the last
  // good copy serves until the provider answers again. A federation chain past its expiry, or any
  // refusal of what was fetched, is never used.
  const bool unreachable = why.reason == "provider_unreachable" || why.reason == "provider_refused";
  if (cached && unreachable && provider.kind == conf::oidc_provider_kind::oidc) co_return cached;
  co_return nullptr;
}

awaitable<handler_result> login_endpoints::start_oidc_login(const runtime& current,
                                                            std::string_view query,
                                                            handler_result result) {
  const auto& config = current.config->oidc;
  auto params = parse_query(query);
  if (!params) co_return login_failure(std::move(result), 400, "bad_query");
  auto provider_it = params->find("provider");
  if (provider_it == params->end() || provider_it->second.empty())
    co_return login_failure(std::move(result), 400, "provider_missing");
  const conf::oidc_provider* provider = config.find_provider(provider_it->second);
  if (provider == nullptr) co_return login_failure(std::move(result), 400, "unknown_provider");
  const auto provider_check =
      co_await check_rate_limit(services_.login_state, "login_idp", provider->issuer,
                                current.config->rate_limits.login_per_idp);
  if (provider_check.outcome != rate_check::verdict::allowed)
    co_return rate_limited(std::move(result), provider_check);

  const bool federation = provider->kind != conf::oidc_provider_kind::oidc;
  int level = federation ? provider->default_level : 0;
  if (auto it = params->find("level"); it != params->end() && federation) {
    if (it->second != "1" && it->second != "2" && it->second != "3")
      co_return login_failure(std::move(result), 400, "bad_level");
    level = it->second[0] - '0';
  }
  std::string return_path;
  if (auto it = params->find("return"); it != params->end()) {
    if (auto safe = safe_return_path(it->second, config.allowed_return_prefixes))
      return_path = *safe;
  }

  resolve_failure why;
  auto metadata = co_await provider_metadata(current, *provider, false, why);
  if (!metadata) co_return login_failure(std::move(result), 502, why.reason);

  const std::string client_id = federation ? config.federation.entity_id : provider->client_id;
  const auto pkce = oidc::make_pkce();
  oidc::authorization_request request;
  request.authorization_endpoint = metadata->authorization_endpoint;
  request.client_id = client_id;
  request.redirect_uri = config.redirect_uri;
  request.state = oidc::random_token();
  request.nonce = oidc::random_token();
  request.code_challenge = pkce.challenge;
  request.audience = metadata->issuer;
  request.request_object = provider->request_object;
  request.claims = claims_request(*provider);
  std::string scope;
  for (const auto& s : provider->scopes) scope += (scope.empty() ? "" : " ") + s;
  request.scope = scope;
  if (federation) {
    // The level asked for, then the stronger ones: any of them satisfies the login.
    for (int l = level; l <= 3; ++l) request.acr_values.push_back(spid_acr(l));
    request.prompt = "consent login";
  }
  const auto now = clock::now();
  // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
  auto sign = [service = current.oidc, request, now] {
    return oidc::authorization_url(request, service->signing.signing(), now);
  };
  auto url =
      co_await services_.crypto.run(std::move(sign), current.config->server.limits.crypto_queue);
  if (!url) co_return crypto_busy(std::move(result), "oidc login");
  if (!*url) {
    spdlog::warn("oidc login: cannot build the authorization request for {}: {}", provider->id,
                 url->error().detail);
    co_return login_failure(std::move(result), 502, oidc::reason_code(url->error().code));
  }

  // A fresh pre-login cookie binds the round to this browser, as for SAML (saml_login.cpp).
  const bool plain = current.config->server.plain_http;
  const std::string browser_cookie = session::new_session_id();
  oidc_pending_login pending;
  pending.provider = provider->id;
  pending.nonce = request.nonce;
  pending.code_verifier = pkce.verifier;
  pending.level = level;
  pending.return_path = return_path;
  pending.browser_binding = session::session_key(browser_cookie);
  pending.issued_at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto stored = co_await services_.login_state.put(
      pending_login_key(request.state), encode_pending_login(pending), config.request_ttl);
  if (!stored) co_return login_failure(std::move(result), 503, "store_unavailable");

  boost::json::object audit;
  audit["provider"] = provider->id;
  audit["issuer"] = metadata->issuer;
  audit["level"] = level;
  audit["client"] = result.notes.client;
  audit["state_hash"] = session::session_key(request.state);
  audit["url"] = **url;
  if (!co_await services_.audit.append(config, "oidc_authorization_request", audit))
    co_return login_failure(std::move(result), 503, "audit_unavailable");

  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(config.request_ttl);
  auto answered = see_other(std::move(result), http::status::found, **url);
  answered.response->set(http::field::set_cookie,
                         set_cookie(pre_login_cookie_name(plain), browser_cookie,
                                    pre_login_cookie_options(plain, max_age)));
  co_return answered;
}

handler_result login_endpoints::entity_configuration(const runtime& current,
                                                     handler_result result) const {
  if (!current.oidc || !current.config->oidc.federation.enabled)
    return login_failure(std::move(result), 404, "federation_not_configured");
  auto statement = current.oidc->entity_configuration(clock::now());
  if (statement.empty()) return login_failure(std::move(result), 503, "key_unusable");
  auto answered = answer(std::move(result), http::status::ok, "application/entity-statement+jwt",
                         std::move(statement));
  answered.response->set(http::field::cache_control, "public, max-age=3600");
  return answered;
}

}  // namespace varco::gateway
