// The logouts of OpenID Connect sessions:
//   POST /logout (Esci) of a session an OpenID Connect login made: the session ends here first,
//     its access token is revoked at the provider (RFC 7009, when it has a revocation endpoint),
//     then the browser goes to the provider's end_session_endpoint (RP-Initiated Logout 1.0)
//     with the ID Token as hint, and comes back to /oidc/logged-out;
//   POST /oidc/backchannel-logout: the provider's logout_token (Back-Channel Logout 1.0) ends
//     every session of that subject (or of that provider session, sid) on every instance.
#include "gateway/http/form_body.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/oidc_exchange.hpp"
#include "gateway/login/oidc_resolver.hpp"
#include "gateway/login/slo_index.hpp"
#include "gateway/outbound/fetch_url.hpp"
#include "gateway/outbound/http_fetcher.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "oidc/authorization.hpp"
#include "oidc/id_token.hpp"
#include "session/session_id.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

using clock = std::chrono::system_clock;

constexpr std::string_view backchannel_event = "http://schemas.openid.net/event/backchannel-logout";

std::string string_claim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The checks of Back-Channel Logout 1.0 §2.6 after the signature: iss, aud, iat, exp (jose),
// the logout event, sub or sid, and no nonce.
oidc::outcome<boost::json::object> check_logout_token(std::string_view token,
                                                      const resolved_provider& provider,
                                                      const std::string& client_id,
                                                      std::chrono::seconds skew) {
  auto claims = oidc::verify_signed_claims(token, provider.keys, provider.id_token_algorithms);
  if (!claims) return claims.error();
  jose::claim_expectations expect{provider.issuer, client_id, clock::now(), skew, true};
  if (auto checked = jose::check_claims(*claims, expect); !checked)
    return oidc::from_jose(checked.error());
  const auto* events = claims->if_contains("events");
  if (events == nullptr || !events->is_object() ||
      !events->get_object().contains(backchannel_event))
    return oidc::failure{oidc::reason::claim_missing, "no back-channel logout event"};
  if (claims->contains("nonce"))
    return oidc::failure{oidc::reason::claim_malformed, "a logout token carries no nonce"};
  if (string_claim(*claims, "sub").empty() && string_claim(*claims, "sid").empty())
    return oidc::failure{oidc::reason::subject_missing, "neither sub nor sid"};
  if (string_claim(*claims, "jti").empty())
    return oidc::failure{oidc::reason::claim_missing, "no jti"};
  return claims;
}

}  // namespace

awaitable<handler_result> login_endpoints::oidc_logout(const http::request_header<>& request,
                                                       const runtime& current,
                                                       const session::session& user,
                                                       std::string expire_cookie,
                                                       handler_result result) {
  (void)request;
  const auto& config = current.config->oidc;
  const auto provider_id = user.oidc.contains("provider") ? user.oidc.at("provider") : "";
  const conf::oidc_provider* provider = current.oidc ? config.find_provider(provider_id) : nullptr;

  // Local logout first: whatever the provider does next, this session is gone everywhere.
  auto removed = co_await services_.sessions.destroy(user.key);
  if (!removed) co_return login_failure(std::move(result), 503, "store_unavailable");
  spdlog::info("logout: session ended provider={} client={}", provider_id, result.notes.client);
  co_await forget_slo_session(services_.login_state, user.idp_entity_id, user.name_id, user.key,
                              "logout");
  const auto expire_draft = co_await services_.at_logout.on_logout(request, current);
  auto logged_out_page = [&](handler_result r) {
    return logged_out(std::move(r), current, expire_cookie, expire_draft);
  };
  if (provider == nullptr) co_return logged_out_page(std::move(result));  // removed by a reload

  resolve_failure why;
  auto metadata = co_await provider_metadata(current, *provider, false, why);
  if (!metadata) co_return logged_out_page(std::move(result));
  const bool federation = provider->kind != conf::oidc_provider_kind::oidc;
  boost::json::object audit;
  audit["provider"] = provider->id;
  audit["issuer"] = provider->issuer;
  audit["sub"] = user.name_id;
  audit["client"] = result.notes.client;

  // The access token is revoked so it cannot be used after Esci (best effort: the session it
  // belonged to is gone either way).
  const auto access_token = user.oidc.contains("access_token") ? user.oidc.at("access_token") : "";
  if (!metadata->revocation_endpoint.empty() && !access_token.empty()) {
    client_credentials client;
    client.client_id = federation ? config.federation.entity_id : provider->client_id;
    bool signed_ok = true;
    if (provider->client_auth == conf::oidc_client_auth::client_secret_basic) {
      client.secret = provider->client_secret;
    } else {
      auto sign = [service = current.oidc, id = client.client_id,
                   endpoint = metadata->revocation_endpoint] {
        return oidc::client_assertion(id, endpoint, service->signing.signing(), clock::now());
      };
      auto assertion = co_await services_.crypto.run(std::move(sign),
                                                     current.config->server.limits.crypto_queue);
      signed_ok = assertion && *assertion;
      if (signed_ok) client.assertion = std::move(**assertion);
    }
    http_fetcher fetch(*current.oidc->tls);
    const bool revoked =
        signed_ok && co_await revoke_token(fetch, config, metadata->revocation_endpoint, client,
                                           access_token, "access_token");
    audit["revoked"] = revoked;
    if (!revoked)
      spdlog::warn("logout: access token not revoked at {} (reason=revocation_failed)",
                   provider->id);
  }

  if (metadata->end_session_endpoint.empty() || !user.oidc.contains("id_token")) {
    audit["end_session"] = false;
    co_await services_.audit.append(config, "oidc_logout", audit);
    co_return logged_out_page(std::move(result));
  }
  std::string url = metadata->end_session_endpoint;
  url = append_query(url, "id_token_hint", user.oidc.at("id_token"));
  url = append_query(url, "post_logout_redirect_uri",
                     current.config->server.public_base_url + "/oidc/logged-out");
  url = append_query(url, "client_id",
                     federation ? config.federation.entity_id : provider->client_id);
  audit["end_session"] = true;
  co_await services_.audit.append(config, "oidc_logout", audit);
  auto answered = see_other(std::move(result), http::status::see_other, url);
  answered.response->set(http::field::set_cookie, expire_cookie);
  if (expire_draft) answered.response->insert(http::field::set_cookie, *expire_draft);
  co_return answered;
}

awaitable<handler_result> login_endpoints::backchannel_logout(
    const http::request<http::string_body>& request, const runtime& current,
    handler_result result) {
  auto refuse = [&](handler_result r, std::string_view reason, std::string_view detail) {
    spdlog::info("oidc back-channel logout refused: {} (reason={}) client={}", detail, reason,
                 r.notes.client);
    r.notes.reason = reason;  // counted in varco_rejections_total with the answer
    // Back-Channel Logout 1.0 §2.8: 400 with an OAuth error body.
    return answer(
        std::move(r), http::status::bad_request, "application/json",
        R"({"error":"invalid_request","error_description":")" + std::string(reason) + "\"}");
  };
  if (!current.oidc) co_return login_failure(std::move(result), 404, "oidc_not_configured");
  const auto& config = current.config->oidc;
  auto form = parse_form(request.body());
  if (!form) co_return refuse(std::move(result), "bad_form", "not a form");
  auto token_it = form->find("logout_token");
  if (token_it == form->end() || token_it->second.empty())
    co_return refuse(std::move(result), "logout_token_missing", "no logout_token");
  const std::string token = token_it->second;
  // The issuer names the provider whose keys verify the token; it is read unverified only to
  // pick them, and checked again with the signature.
  auto unverified = oidc::peek_issuer(token);
  const conf::oidc_provider* provider = nullptr;
  for (const auto& p : config.providers)
    if (unverified && p.issuer == *unverified) provider = &p;
  if (provider == nullptr)
    co_return refuse(std::move(result), "unknown_provider", "issuer not configured");
  resolve_failure why;
  auto metadata = co_await provider_metadata(current, *provider, false, why);
  if (!metadata) co_return refuse(std::move(result), why.reason, why.detail);
  const bool federation = provider->kind != conf::oidc_provider_kind::oidc;
  const std::string client_id = federation ? config.federation.entity_id : provider->client_id;
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(config.clock_skew);
  auto check = [token, metadata, client_id, skew] {
    return check_logout_token(token, *metadata, client_id, skew);
  };
  auto checked =
      co_await services_.crypto.run(std::move(check), current.config->server.limits.crypto_queue);
  if (!checked) co_return crypto_busy(std::move(result), "oidc back-channel logout");
  if (!*checked)
    co_return refuse(std::move(result), oidc::reason_code((*checked).error().code),
                     (*checked).error().detail);
  const auto& claims = **checked;
  // A logout token is used once (its jti), for as long as it could be accepted.
  auto first = co_await services_.login_state.claim_once(
      "bcl:" + session::session_key(provider->issuer + '\n' + string_claim(claims, "jti")),
      std::chrono::minutes(10));
  if (!first) co_return login_failure(std::move(result), 503, "store_unavailable");
  if (!*first) co_return refuse(std::move(result), "logout_token_replayed", "jti seen before");

  std::vector<std::string> keys;
  for (const auto& index :
       {string_claim(claims, "sub").empty()
            ? std::string()
            : slo_index_key(provider->issuer, string_claim(claims, "sub")),
        string_claim(claims, "sid").empty()
            ? std::string()
            : oidc_sid_index_key(provider->issuer, string_claim(claims, "sid"))}) {
    if (index.empty()) continue;
    auto members = co_await services_.login_state.index_take(index);
    if (!members) co_return login_failure(std::move(result), 503, "store_unavailable");
    keys.insert(keys.end(), members->begin(), members->end());
  }
  std::size_t ended = 0;
  for (const auto& key : keys)
    if (co_await services_.sessions.destroy(key)) ++ended;
  boost::json::object audit{{"provider", provider->id},
                            {"issuer", provider->issuer},
                            {"sub", string_claim(claims, "sub")},
                            {"sid", string_claim(claims, "sid")},
                            {"sessions_ended", ended},
                            {"logout_token", token}};
  co_await services_.audit.append(config, "oidc_backchannel_logout", audit);
  spdlog::info("oidc back-channel logout: provider={} sessions ended={}", provider->id, ended);
  auto answered = answer(std::move(result), http::status::ok, "text/plain; charset=utf-8", "");
  co_return answered;
}

}  // namespace varco::gateway
