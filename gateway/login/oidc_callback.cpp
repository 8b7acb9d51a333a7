// GET /oidc/callback?code=…&state=… (or ?error=…&state=…): the end of an OpenID Connect login.
// The round is found by its state and must come back in the browser that started it; then the
// code is redeemed, the ID Token and UserInfo checked, and a session made as a SAML login makes
// one. Every failure answers with a 4xx/5xx page, a reason code and an audit record.
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/oidc_exchange.hpp"
#include "gateway/login/oidc_pending.hpp"
#include "gateway/login/oidc_resolver.hpp"
#include "gateway/login/pre_login.hpp"
#include "gateway/login/slo_index.hpp"
#include "gateway/outbound/http_fetcher.hpp"
#include "oidc/attributes.hpp"
#include "oidc/id_token.hpp"
#include "oidc/userinfo.hpp"
#include "session/session_id.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

using clock = std::chrono::system_clock;

std::string string_claim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The SPID level of an acr value ("…/SpidL2" → 2); 0 when it is none of them.
int level_of(std::string_view acr) {
  const auto order = oidc::spid_acr_order();
  for (std::size_t i = 0; i < order.size(); ++i)
    if (order[i] == acr) return static_cast<int>(i) + 1;
  return 0;
}

// What the callback checks the provider's answers with, copied for the crypto pool.
struct token_check {
  std::string id_token;
  std::string userinfo;  // the body; empty when UserInfo is not asked for
  bool userinfo_is_json = false;
  std::shared_ptr<const resolved_provider> provider;
  std::shared_ptr<const oidc_service> service;
  oidc::id_token_expectations expect;
  bool require_encryption = false;
};

struct checked_login {
  boost::json::object id_claims;
  boost::json::object userinfo_claims;
};

oidc::outcome<checked_login> check_tokens(const token_check& check) {
  auto id = oidc::validate_id_token(check.id_token, check.provider->keys, check.expect);
  if (!id) return id.error();
  checked_login out{std::move(*id), {}};
  if (check.userinfo.empty()) return out;
  const auto sub = string_claim(out.id_claims, "sub");
  if (check.userinfo_is_json) {
    // A plain provider's JSON UserInfo (OpenID Connect Core §5.3.2): only sub is checked.
    boost::system::error_code ec;
    auto value = boost::json::parse(check.userinfo, ec);
    if (ec || !value.is_object())
      return oidc::failure{oidc::reason::claim_malformed, "UserInfo is not a JSON object"};
    if (string_claim(value.get_object(), "sub") != sub)
      return oidc::failure{oidc::reason::subject_missing, "UserInfo is about another subject"};
    out.userinfo_claims = std::move(value.get_object());
    return out;
  }
  oidc::userinfo_expectations expect{check.expect.issuer, check.expect.client_id, sub,
                                     check.expect.algorithms, check.require_encryption};
  auto userinfo =
      oidc::read_userinfo(check.userinfo, check.service->decryption, check.provider->keys, expect);
  if (!userinfo) return userinfo.error();
  out.userinfo_claims = std::move(*userinfo);
  return out;
}

}  // namespace

awaitable<handler_result> login_endpoints::refuse_oidc_login(handler_result result,
                                                             const conf::oidc& config,
                                                             boost::json::object& audit,
                                                             unsigned status,
                                                             std::string_view reason) {
  audit["outcome"] = "rejected";
  audit["reason"] = reason;
  spdlog::info("oidc callback: login refused (reason={}) client={}", reason, result.notes.client);
  co_await services_.audit.append(config, "oidc_authentication", audit);
  co_return login_failure(std::move(result), status, reason);
}

awaitable<handler_result> login_endpoints::finish_oidc_login(const http::request_header<>& request,
                                                             const runtime& current,
                                                             std::string_view query,
                                                             handler_result result) {
  const auto& config = current.config->oidc;
  boost::json::object audit;
  audit["client"] = result.notes.client;
  auto fail = [&](handler_result r, unsigned status, std::string_view reason) {
    return refuse_oidc_login(std::move(r), config, audit, status, reason);
  };
  auto params = parse_query(query);
  if (!params) co_return co_await fail(std::move(result), 400, "bad_query");
  auto param = [&](std::string_view name) {
    auto it = params->find(std::string(name));
    return it == params->end() ? std::string() : it->second;
  };
  const std::string state = param("state");
  if (!looks_like_state(state)) co_return co_await fail(std::move(result), 400, "state_invalid");

  // As for SAML: the browser is checked before the round is used up, so an answer opened in
  // another browser does not spend the round its own browser is completing.
  const auto key = pending_login_key(state);
  auto peeked = co_await services_.login_state.peek(key);
  if (!peeked) co_return co_await fail(std::move(result), 503, "store_unavailable");
  if (!*peeked) co_return co_await fail(std::move(result), 400, "request_unknown_or_expired");
  auto pending = decode_pending_login(**peeked);
  if (!pending) co_return co_await fail(std::move(result), 400, "request_corrupt");
  audit["provider"] = pending->provider;
  const bool plain = current.config->server.plain_http;
  if (!from_browser_of(request, pre_login_cookie_name(plain), pending->browser_binding))
    co_return co_await fail(std::move(result), 400, "browser_mismatch");
  auto taken = co_await services_.login_state.take(key);
  if (!taken) co_return co_await fail(std::move(result), 503, "store_unavailable");
  if (!*taken || **taken != **peeked)
    co_return co_await fail(std::move(result), 400, "request_unknown_or_expired");

  const conf::oidc_provider* provider = config.find_provider(pending->provider);
  if (provider == nullptr) co_return co_await fail(std::move(result), 400, "unknown_provider");
  if (auto error = param("error"); !error.empty()) {
    // The provider ended the login (the user cancelled, or it refused the request): its error
    // code goes to the log and the audit record, its free-text description nowhere.
    audit["provider_error"] = error;
    spdlog::info("oidc callback: provider {} answered error={}", provider->id, error);
    co_return co_await fail(std::move(result), error == "access_denied" ? 403 : 502,
                            error == "access_denied" ? "login_cancelled" : "provider_error");
  }
  const std::string code = param("code");
  if (code.empty() || code.size() > 2048)
    co_return co_await fail(std::move(result), 400, "code_missing");
  // RFC 9207: a provider that names itself must be the one this round went to (mix-up).
  if (auto iss = param("iss"); !iss.empty() && iss != provider->issuer)
    co_return co_await fail(std::move(result), 400, "issuer_mismatch");

  resolve_failure why;
  auto metadata = co_await provider_metadata(current, *provider, false, why);
  if (!metadata) co_return co_await fail(std::move(result), 502, why.reason);
  audit["issuer"] = metadata->issuer;

  const bool federation = provider->kind != conf::oidc_provider_kind::oidc;
  client_credentials client;
  client.client_id = federation ? config.federation.entity_id : provider->client_id;
  const auto now = clock::now();
  if (provider->client_auth == conf::oidc_client_auth::client_secret_basic) {
    client.secret = provider->client_secret;
  } else {
    auto sign = [service = current.oidc, id = client.client_id, endpoint = metadata->token_endpoint,
                 now] {
      return oidc::client_assertion(id, endpoint, service->signing.signing(), now);
    };
    auto assertion =
        co_await services_.crypto.run(std::move(sign), current.config->server.limits.crypto_queue);
    if (!assertion) co_return crypto_busy(std::move(result), "oidc token request");
    if (!*assertion) co_return co_await fail(std::move(result), 500, "key_unusable");
    client.assertion = std::move(**assertion);
  }
  http_fetcher fetch(*current.oidc->tls);
  auto tokens = co_await redeem_code(fetch, config, metadata->token_endpoint, client, code,
                                     pending->code_verifier);
  if (!tokens) {
    spdlog::info("oidc callback: token request to {} failed: {}", provider->id,
                 tokens.error().detail);
    co_return co_await fail(std::move(result), tokens.error().reason == "token_refused" ? 400 : 502,
                            tokens.error().reason);
  }
  audit["id_token"] = tokens->id_token;

  token_check check;
  check.id_token = tokens->id_token;
  check.service = current.oidc;
  check.expect.issuer = provider->issuer;
  check.expect.client_id = client.client_id;
  check.expect.nonce = pending->nonce;
  check.expect.now = now;
  check.expect.skew = std::chrono::duration_cast<std::chrono::seconds>(config.clock_skew);
  if (federation) {
    check.expect.acr_order = oidc::spid_acr_order();
    check.expect.minimum_acr =
        check.expect.acr_order.at(static_cast<std::size_t>(pending->level - 1));
    check.require_encryption = true;
  }
  if (provider->userinfo && !metadata->userinfo_endpoint.empty()) {
    auto userinfo =
        co_await fetch_userinfo(fetch, config, metadata->userinfo_endpoint, tokens->access_token);
    if (!userinfo) co_return co_await fail(std::move(result), 502, userinfo.error().reason);
    check.userinfo = std::move(userinfo->body);
    check.userinfo_is_json = !federation && userinfo->content_type == "application/json";
    audit["userinfo"] = check.userinfo;
  }
  // An unknown kid may be the provider's rotation: its keys are read again once, then the
  // tokens checked again (provider_metadata spaces such refreshes out).
  checked_login login;
  for (int attempt = 0;; ++attempt) {
    check.provider = metadata;
    check.expect.algorithms = metadata->id_token_algorithms;
    auto run = [check] { return check_tokens(check); };
    auto checked = co_await services_.crypto.run(std::move(run), crypto_pool::unbounded);
    if (!checked) co_return co_await fail(std::move(result), 503, "crypto_busy");
    if (*checked) {
      login = std::move(**checked);
      break;
    }
    const auto code_of = checked->error().code;
    if (code_of == oidc::reason::kid_unknown && attempt == 0) {
      auto refreshed = co_await provider_metadata(current, *provider, true, why);
      if (refreshed && refreshed != metadata) {
        metadata = std::move(refreshed);
        continue;
      }
    }
    spdlog::debug("oidc callback: {}", checked->error().detail);
    co_return co_await fail(std::move(result), 400, oidc::reason_code(code_of));
  }

  const auto sub = string_claim(login.id_claims, "sub");
  const auto acr = string_claim(login.id_claims, "acr");
  // UserInfo's claims win over the ID Token's: that is where SPID and CIE put the attributes.
  boost::json::object claims = login.id_claims;
  for (const auto& [name, value] : login.userinfo_claims) claims[name] = value;
  auto attributes = oidc::session_attributes(claims, provider->fiscal_number_claim);
  audit["sub"] = sub;
  audit["acr"] = acr;
  if (!attributes.contains("fiscalNumber"))
    co_return co_await fail(std::move(result), 403, "fiscal_number_missing");
  audit["subject"] = attributes.at("fiscalNumber");

  if (auto old = (co_await current_session(request, current)).user; old) {
    if (co_await services_.sessions.destroy(old->key)) {
      co_await forget_slo_session(services_.login_state, old->idp_entity_id, old->name_id, old->key,
                                  "replaced by a new login");
    }
  }
  session::session fresh;
  fresh.attributes = std::move(attributes);
  fresh.provider = provider->kind == conf::oidc_provider_kind::spid  ? "spid"
                   : provider->kind == conf::oidc_provider_kind::cie ? "cie"
                                                                     : "oidc";
  fresh.idp_entity_id = provider->issuer;
  fresh.name_id = sub;
  fresh.session_index = string_claim(login.id_claims, "sid");
  fresh.level = federation ? std::max(level_of(acr), pending->level) : 0;
  fresh.oidc = {{"provider", provider->id},
                {"id_token", tokens->id_token},
                {"access_token", tokens->access_token}};
  if (!tokens->refresh_token.empty()) fresh.oidc["refresh_token"] = tokens->refresh_token;
  if (auto parties = current.directory->parties_of(fresh.fiscal_number()); !parties.empty())
    fresh.selected_party = parties.front().party->id;
  auto cookie_id = co_await services_.sessions.create(std::move(fresh));
  if (!cookie_id) co_return co_await fail(std::move(result), 503, "store_unavailable");
  const auto session_key = session::session_key(*cookie_id);
  // The back-channel logout names the session by the provider's sid, or by the subject.
  co_await services_.login_state.index_add(slo_index_key(provider->issuer, sub), session_key,
                                           std::chrono::duration_cast<std::chrono::milliseconds>(
                                               current.config->sessions.absolute_timeout));

  if (const auto sid = string_claim(login.id_claims, "sid"); !sid.empty()) {
    co_await services_.login_state.index_add(oidc_sid_index_key(provider->issuer, sid), session_key,
                                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 current.config->sessions.absolute_timeout));
  }

  audit["outcome"] = "accepted";
  if (!co_await services_.audit.append(config, "oidc_authentication", audit)) {
    if (co_await services_.sessions.destroy(session_key))
      co_await forget_slo_session(services_.login_state, provider->issuer, sub, session_key,
                                  "login not audited");
    co_return login_failure(std::move(result), 503, "audit_unavailable");
  }
  spdlog::info("oidc callback: login accepted provider={} issuer={} acr={} client={}", provider->id,
               provider->issuer, acr, result.notes.client);

  co_return signed_in(std::move(result), current, *cookie_id, pending->return_path);
}

}  // namespace varco::gateway
