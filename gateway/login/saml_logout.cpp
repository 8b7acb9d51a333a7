// POST /logout (CSRF-checked) and /saml/slo (both directions of SAML Single Logout).
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/login/login_audit.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/saml_service.hpp"
#include "gateway/login/slo_index.hpp"
#include "gateway/pages/login_pages.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "saml/logout_messages.hpp"
#include "session/session_id.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

saml::sys_millis now_millis() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view raw_query(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

// What /saml/slo remembers of an SP-initiated logout until the IdP answers.
std::string encode_pending_logout(std::string_view request_id, std::string_view idp) {
  return std::string(request_id) + '\n' + std::string(idp);
}

}  // namespace

awaitable<handler_result> login_endpoints::logout(const http::request<http::string_body>& request,
                                                  const runtime& current, handler_result result) {
  const bool plain = current.config->server.plain_http;
  const signed_in_user found = co_await current_session(request.base(), current);
  const auto& user = found.user;
  if (found.store_failed) co_return login_failure(std::move(result), 503, "store_unavailable");
  auto expire_cookie = set_cookie(current.cookie_name, "", expired_cookie_options(plain));
  // A form draft kept for this browser goes with the session: the next user of a shared computer
  // must not find it. Cleared on every answer below but the refusals.
  if (!user) {
    // Already logged out (or expired): nothing to end, say so plainly.
    const auto expire_draft = co_await services_.at_logout.on_logout(request.base(), current);
    co_return logged_out(std::move(result), current, expire_cookie, expire_draft);
  }
  auto form = parse_form(request.body());
  std::string csrf;
  if (form) {
    if (auto it = form->find("csrf"); it != form->end()) csrf = it->second;
  }
  if (csrf.empty() || !same_secret(csrf, user->csrf_token)) {
    co_return login_failure(std::move(result), 403, "csrf_invalid");
  }

  if (!user->oidc.empty())
    co_return co_await oidc_logout(request.base(), current, *user, std::move(expire_cookie),
                                   std::move(result));

  const saml::idp_descriptor* idp = nullptr;
  std::shared_ptr<const saml::idp_set> idps;
  if (current.saml && user->provider == "spid") {  // CIE has no SAML SLO: local logout only
    idps = current.saml->idps->current();
    idp = idps->find(user->idp_entity_id);
  }
  const bool tell_idp = idp != nullptr && !idp->single_logout.empty() && !user->name_id.empty();
  // The LogoutRequest is signed (on the crypto pool) before anything ends: when the pool refuses,
  // the user is answered 503 with the session intact and may try again, rather than logged out
  // here but not at the IdP.
  saml::logout_request_params params;
  std::optional<saml::outcome<saml::built_logout_request>> built;
  if (tell_idp) {
    params.idp = idp;
    params.name_id = user->name_id;
    params.name_qualifier = idp->entity_id;
    params.session_index = user->session_index;
    params.now = now_millis();
    params.binding = idp->slo(saml::binding_redirect) != nullptr
                         ? std::string(saml::binding_redirect)
                         : std::string(saml::binding_post);
    params.relay_state = session::new_session_id();
    // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
    auto sign = [service = current.saml, idps, params] {
      return saml::build_logout_request(service->profile, params);
    };
    built =
        co_await services_.crypto.run(std::move(sign), current.config->server.limits.crypto_queue);
    if (!built) co_return crypto_busy(std::move(result), "logout");
  }

  // Local logout first: whatever the IdP does next, this session is gone on every instance.
  auto removed = co_await services_.sessions.destroy(user->key);
  if (!removed) co_return login_failure(std::move(result), 503, "store_unavailable");
  spdlog::info("logout: session ended provider={} client={}", user->provider, result.notes.client);
  // Out of the SLO index too (CIE sessions are indexed as well), here and not when the IdP
  // answers: the answer carries no NameID and may never come. A failure only logs.
  co_await forget_slo_session(services_.login_state, user->idp_entity_id, user->name_id, user->key,
                              "logout");
  const auto expire_draft = co_await services_.at_logout.on_logout(request.base(), current);

  if (!tell_idp) {
    co_return logged_out(std::move(result), current, expire_cookie, expire_draft);
  }

  const auto& config = current.config->saml;
  if (!*built) {
    spdlog::warn("logout: cannot build LogoutRequest for {}: {}", idp->entity_id,
                 built->error().detail);
    co_return logged_out(std::move(result), current, expire_cookie, expire_draft);
  }
  const auto& request_out = **built;
  co_await services_.login_state.put("l:" + params.relay_state,
                                     encode_pending_logout(request_out.id, idp->entity_id),
                                     config.request_ttl);
  boost::json::object audit;
  audit["request_id"] = request_out.id;
  audit["idp"] = idp->entity_id;
  audit["name_id"] = user->name_id;
  audit["subject"] = user->fiscal_number();
  audit["client"] = result.notes.client;
  audit["xml"] = request_out.xml;
  co_await services_.audit.append(config, "logout_request", audit);

  handler_result answered;
  if (request_out.binding == saml::binding_post) {
    answered = answer(std::move(result), http::status::ok, "text/html; charset=utf-8",
                      request_out.post_form_html);
  } else {
    answered = see_other(std::move(result), http::status::found, request_out.redirect_url);
  }
  answered.response->set(http::field::set_cookie, expire_cookie);
  if (expire_draft) answered.response->insert(http::field::set_cookie, *expire_draft);
  co_return answered;
}

awaitable<handler_result> login_endpoints::single_logout(const http::request_header<>& request,
                                                         std::string_view query,
                                                         std::string_view body,
                                                         const runtime& current,
                                                         handler_result result) {
  const auto& config = current.config->saml;
  const bool post = !body.empty() || request.method() == http::verb::post;
  const std::string_view raw = post ? body : raw_query(request.target());
  (void)query;
  auto fields = parse_form(raw);
  if (!fields) co_return login_failure(std::move(result), 400, "bad_form");
  auto idps = current.saml->idps->current();
  const auto now = now_millis();
  const std::string relay =
      fields->contains("RelayState") ? fields->at("RelayState") : std::string();

  if (fields->contains("SAMLResponse")) {
    // The IdP's answer to our LogoutRequest.
    auto info = post ? saml::read_logout_response_post(fields->at("SAMLResponse"), *idps,
                                                       config.slo_url, now, config.clock_skew)
                     : saml::read_logout_response_redirect(raw, *idps, config.slo_url, now,
                                                           config.clock_skew);
    boost::json::object audit;
    audit["client"] = result.notes.client;
    if (!info) {
      audit["outcome"] = "rejected";
      audit["reason"] = saml::reason_code(info.error().code);
      co_await services_.audit.append(config, "logout_response", audit);
      co_return login_failure(std::move(result), 400, saml::reason_code(info.error().code));
    }
    // Our pending LogoutRequest is consumed only by the answer to it: an answer to another
    // request, posted with this RelayState, is refused without using it up (as at the ACS).
    auto answers = [&](const std::optional<std::string>& pending) {
      return pending && pending->substr(0, pending->find('\n')) == info->in_response_to;
    };
    bool matches = false;
    if (session::looks_like_session_id(relay)) {
      auto peeked = co_await services_.login_state.peek("l:" + relay);
      if (peeked && answers(*peeked)) {
        auto taken = co_await services_.login_state.take("l:" + relay);
        matches = taken && answers(*taken);
      }
    }
    audit["in_response_to"] = info->in_response_to;
    audit["status"] = info->status;
    audit["outcome"] = matches ? "accepted" : "rejected";
    if (!matches) audit["reason"] = "logout_request_unknown";
    co_await services_.audit.append(config, "logout_response", audit);
    if (!matches) co_return login_failure(std::move(result), 400, "logout_request_unknown");
    // The local session ended before we went to the IdP: this page only reports the outcome.
    std::string page = page_renderer::for_this_thread(page_context_of(result.notes, current))
                           .logged_out(info->success);
    co_return answer(std::move(result), http::status::ok, "text/html; charset=utf-8",
                     std::move(page));
  }

  if (fields->contains("SAMLRequest")) {
    // IdP-initiated logout: end every session of that NameID at that IdP, then answer.
    auto logout = post ? saml::read_logout_request_post(fields->at("SAMLRequest"), *idps,
                                                        config.slo_url, now, config.clock_skew)
                       : saml::read_logout_request_redirect(raw, *idps, config.slo_url, now,
                                                            config.clock_skew);
    boost::json::object audit;
    audit["client"] = result.notes.client;
    if (!logout) {
      audit["outcome"] = "rejected";
      audit["reason"] = saml::reason_code(logout.error().code);
      co_await services_.audit.append(config, "logout_idp", audit);
      co_return login_failure(std::move(result), 400, saml::reason_code(logout.error().code));
    }
    // The answer is signed (on the crypto pool) before any session ends: when the pool refuses,
    // the IdP is answered 503 with nothing consumed and may send its request again.
    const std::string binding = logout->idp->slo(saml::binding_redirect) != nullptr
                                    ? std::string(saml::binding_redirect)
                                    : std::string(saml::binding_post);
    auto sign = [service = current.saml, idps, idp = logout->idp, id = logout->id, now, binding,
                 relay] {
      return saml::build_logout_response(service->profile, *idp, id,
                                         "urn:oasis:names:tc:SAML:2.0:status:Success", now, binding,
                                         relay);
    };
    // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
    auto signed_response =
        co_await services_.crypto.run(std::move(sign), current.config->server.limits.crypto_queue);
    if (!signed_response) {
      audit["request_id"] = logout->id;
      audit["idp"] = logout->idp->entity_id;
      audit["outcome"] = "rejected";
      audit["reason"] = "crypto_busy";
      co_await services_.audit.append(config, "logout_idp", audit);
      co_return crypto_busy(std::move(result), "saml slo");
    }
    const auto& built = *signed_response;
    // index_take removes the whole index with its members: nothing is left to clean up after.
    auto keys = co_await services_.login_state.index_take(
        slo_index_key(logout->idp->entity_id, logout->name_id));
    if (!keys) co_return login_failure(std::move(result), 503, "store_unavailable");
    std::size_t ended = 0;
    for (const auto& key : *keys) {
      if (co_await services_.sessions.destroy(key)) ++ended;
    }
    spdlog::info("saml slo: IdP-initiated logout from {} ended {} session(s)",
                 logout->idp->entity_id, ended);
    audit["request_id"] = logout->id;
    audit["idp"] = logout->idp->entity_id;
    audit["name_id"] = logout->name_id;
    audit["sessions_ended"] = ended;
    audit["outcome"] = built ? "accepted" : "response_failed";
    if (built) audit["xml"] = built->xml;
    co_await services_.audit.append(config, "logout_idp", audit);
    if (!built)
      co_return login_failure(std::move(result), 500, saml::reason_code(built.error().code));
    if (built->binding == saml::binding_post) {
      co_return answer(std::move(result), http::status::ok, "text/html; charset=utf-8",
                       built->post_form_html);
    }
    co_return see_other(std::move(result), http::status::found, built->redirect_url);
  }
  co_return login_failure(std::move(result), 400, "saml_message_missing");
}

}  // namespace varco::gateway
