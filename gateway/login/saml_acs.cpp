// POST /saml/acs: the IdP's Response. Every failure answers directly with a 4xx page (never a
// redirect to a 200 page), a reason code in the log and in /metrics, and an audit record.
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/login/login_audit.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/pre_login.hpp"
#include "gateway/login/saml_service.hpp"
#include "gateway/login/slo_index.hpp"
#include "saml/pending_request.hpp"
#include "saml/response_validator.hpp"
#include "session/session_id.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

saml::sys_millis now_millis() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// "ErrorCode nr22" (or just "nr22") → "nr22"; "" when there is no such code.
std::string anomaly_code(std::string_view detail) {
  const auto at = detail.find("nr");
  if (at == std::string_view::npos || at + 4 > detail.size()) return {};
  const auto code = detail.substr(at, 4);
  if (code[2] < '0' || code[2] > '9' || code[3] < '0' || code[3] > '9') return {};
  return std::string(code);
}

// The replay-cache key of an assertion: its issuer and ID (IDs are unique per IdP only).
std::string replay_key(std::string_view issuer, std::string_view assertion_id) {
  return "r:" + session::session_key(std::string(issuer) + '\n' + std::string(assertion_id));
}

}  // namespace

awaitable<handler_result> login_endpoints::refuse_login(handler_result result,
                                                        const conf::saml& config,
                                                        boost::json::object& audit, unsigned status,
                                                        std::string_view reason,
                                                        std::string anomaly) {
  audit["outcome"] = "rejected";
  audit["reason"] = reason;
  if (!anomaly.empty()) audit["anomaly"] = anomaly;
  spdlog::info("saml acs: login refused (reason={}{}{}) client={}", reason,
               anomaly.empty() ? "" : " anomaly=", anomaly, result.notes.client);
  // Refused either way: a record that could not be written changes nothing for this client.
  co_await services_.audit.append(config, "authn_response", audit);
  co_return login_failure(std::move(result), status, reason, std::move(anomaly));
}

awaitable<handler_result> login_endpoints::finish_login(
    const http::request<http::string_body>& request, const runtime& current,
    handler_result result) {
  const auto& config = current.config->saml;
  const auto started = now_millis();

  boost::json::object audit;
  audit["client"] = result.notes.client;
  // Every outcome is audited; an audit that cannot be written fails the login closed.
  auto fail = [&](handler_result r, unsigned status, std::string_view reason,
                  std::string anomaly = {}) {
    return refuse_login(std::move(r), config, audit, status, reason, std::move(anomaly));
  };

  auto form = parse_form(request.body());
  if (!form) co_return co_await fail(std::move(result), 400, "bad_form");
  auto response_it = form->find("SAMLResponse");
  auto relay_it = form->find("RelayState");
  if (response_it == form->end() || response_it->second.empty()) {
    co_return co_await fail(std::move(result), 400, "saml_response_missing");
  }
  auto xml = saml::decode_base64(response_it->second, config.max_message_bytes);
  if (!xml) co_return co_await fail(std::move(result), 400, saml::reason_code(xml.error().code));
  audit["xml"] = *xml;
  // Parsed once: the envelope feeds the audit record now, the same document is validated later.
  saml::received_response received(*xml, config.max_message_bytes);
  if (const auto& envelope = received.envelope()) {
    audit["response_id"] = envelope->id;
    audit["in_response_to"] = envelope->in_response_to;
    audit["issuer"] = envelope->issuer;
    audit["response_issue_instant"] = envelope->issue_instant;
  }
  if (relay_it == form->end() || relay_it->second.empty() ||
      !session::looks_like_session_id(relay_it->second)) {
    co_return co_await fail(std::move(result), 400, "relay_state_invalid");
  }

  // The Response must come back in the browser that asked for it. That is checked on the pending
  // request before it is consumed, so a Response posted from another browser (stolen, or opened
  // elsewhere) is refused without using up the request its own browser is about to complete.
  const std::string pending_key = "a:" + relay_it->second;
  auto peeked = co_await services_.login_state.peek(pending_key);
  if (!peeked) co_return co_await fail(std::move(result), 503, "store_unavailable");
  if (!*peeked) co_return co_await fail(std::move(result), 400, "request_unknown_or_expired");
  auto pending = saml::decode_pending(**peeked);
  if (!pending) co_return co_await fail(std::move(result), 400, "request_corrupt");
  audit["request_id"] = pending->request_id;
  audit["request_issue_instant"] = pending->issue_instant.time_since_epoch().count();
  const bool plain = current.config->server.plain_http;
  if (!from_browser_of(request.base(), pre_login_cookie_name(plain), pending->browser_binding))
    co_return co_await fail(std::move(result), 400, "browser_mismatch");

  // Then it is consumed, whatever happens next: single use, even when two posts of the same
  // browser race (GETDEL hands it to one of them only).
  auto taken = co_await services_.login_state.take(pending_key);
  if (!taken) co_return co_await fail(std::move(result), 503, "store_unavailable");
  if (!*taken || **taken != **peeked)
    co_return co_await fail(std::move(result), 400, "request_unknown_or_expired");

  auto idps = current.saml->idps->current();
  const saml::idp_descriptor* idp = idps->find(pending->idp_entity_id);
  if (idp == nullptr) co_return co_await fail(std::move(result), 400, "unknown_idp");

  saml::response_expectations expect;
  expect.request_id = pending->request_id;
  expect.request_instant = pending->issue_instant;
  expect.idp = idp;
  expect.kind = pending->kind;
  expect.requested_level = pending->level;
  expect.comparison = pending->comparison;
  expect.acs_url = config.acs_url;
  expect.sp_entity_id = config.entity_id;
  expect.now = started;
  expect.clock_skew = config.clock_skew;
  expect.max_bytes = config.max_message_bytes;
  // The schema check, the signatures and the rest of the checklist (about half a millisecond)
  // run on the crypto pool. Past the queue bound too: the pending request is used up already, so
  // a refusal would cost the user the whole login, and every check here was paid for by a signed
  // AuthnRequest that passed the bound (one pending request, one check). `received` views `*xml`,
  // which this suspended coroutine keeps alive; `idps` keeps expect.idp alive.
  // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
  auto check = [received = std::move(received), expect, idps]() mutable {
    return saml::validate_response(std::move(received), expect);
  };
  auto checked = co_await services_.crypto.run(std::move(check), crypto_pool::unbounded);
  if (!checked) {  // the process is stopping
    auto refused = co_await fail(std::move(result), 503, "crypto_busy");
    refused.response->set(http::field::retry_after, "1");
    co_return refused;
  }
  auto& user = *checked;
  if (!user) {
    const auto reason = saml::reason_code(user.error().code);
    std::string anomaly = user.error().code == saml::reason::spid_anomaly
                              ? anomaly_code(user.error().detail)
                              : std::string();
    spdlog::debug("saml acs: {}", user.error().detail);
    // A SPID anomaly is the IdP telling why the user could not log in: 403 with its courtesy text.
    const unsigned status = anomaly.empty() ? 400 : 403;
    co_return co_await fail(std::move(result), status, reason, std::move(anomaly));
  }
  audit["assertion_id"] = user->assertion_id;
  audit["name_id"] = user->name_id;
  audit["name_qualifier"] = user->name_qualifier;
  audit["subject"] = user->attributes.contains("fiscalNumber") ? user->attributes.at("fiscalNumber")
                                                               : std::string();
  audit["level"] = user->level;

  // Replay cache: the assertion ID is remembered until the assertion could no longer be used.
  auto replay_ttl = std::chrono::duration_cast<std::chrono::milliseconds>(
      user->assertion_not_on_or_after - started + config.clock_skew);
  if (replay_ttl < std::chrono::seconds(1)) replay_ttl = std::chrono::seconds(1);
  auto first_use = co_await services_.login_state.claim_once(
      replay_key(user->issuer, user->assertion_id), replay_ttl);
  if (!first_use) co_return co_await fail(std::move(result), 503, "store_unavailable");
  if (!*first_use) co_return co_await fail(std::move(result), 400, "assertion_replayed");

  // A fresh session id, never one the browser had (no fixation); an old session ends here.
  if (auto old = (co_await current_session(request.base(), current)).user; old) {
    if (co_await services_.sessions.destroy(old->key)) {
      co_await forget_slo_session(services_.login_state, old->idp_entity_id, old->name_id, old->key,
                                  "replaced by a new login");
    }
  }
  session::session fresh;
  fresh.attributes.insert(user->attributes.begin(), user->attributes.end());
  fresh.provider = std::string(saml::to_string(pending->kind));
  fresh.idp_entity_id = idp->entity_id;
  fresh.name_id = user->name_id;
  fresh.session_index = user->session_index;
  fresh.level = user->level;
  // The first party (by name) the user belongs to is selected; the Area Riservata's switcher
  // changes it. No party at all is a normal outcome: the area explains how to get access.
  if (auto parties = current.directory->parties_of(fresh.fiscal_number()); !parties.empty()) {
    fresh.selected_party = parties.front().party->id;
  }
  auto cookie_id = co_await services_.sessions.create(std::move(fresh));
  if (!cookie_id) co_return co_await fail(std::move(result), 503, "store_unavailable");

  // The SLO index: the IdP names sessions by its NameID when it logs the user out.
  co_await services_.login_state.index_add(slo_index_key(idp->entity_id, user->name_id),
                                           session::session_key(*cookie_id),
                                           std::chrono::duration_cast<std::chrono::milliseconds>(
                                               current.config->sessions.absolute_timeout));

  audit["outcome"] = "accepted";
  if (!co_await services_.audit.append(config, "authn_response", audit)) {
    if (co_await services_.sessions.destroy(session::session_key(*cookie_id))) {
      co_await forget_slo_session(services_.login_state, idp->entity_id, user->name_id,
                                  session::session_key(*cookie_id), "login not audited");
    }
    co_return login_failure(std::move(result), 503, "audit_unavailable");
  }
  spdlog::info("saml acs: login accepted provider={} idp={} level={} client={}",
               saml::to_string(pending->kind), idp->entity_id, user->level, result.notes.client);

  co_return signed_in(std::move(result), current, *cookie_id, pending->return_path);
}

}  // namespace varco::gateway
