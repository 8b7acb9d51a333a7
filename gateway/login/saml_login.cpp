// GET /saml/login?idp=<entityID>[&level=1|2|3][&return=<local path>]: one step to the IdP.
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/http/return_path.hpp"
#include "gateway/login/login_audit.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/login/saml_service.hpp"
#include "saml/authn_request.hpp"
#include "saml/pending_request.hpp"
#include "session/session_id.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {
namespace {

saml::sys_millis now_millis() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

awaitable<handler_result> login_endpoints::start_login(const runtime& current,
                                                       std::string_view query,
                                                       handler_result result) {
  const auto& config = current.config->saml;
  auto params = parse_query(query);
  if (!params) co_return login_failure(std::move(result), 400, "bad_query");
  auto idp_it = params->find("idp");
  if (idp_it == params->end() || idp_it->second.empty()) {
    co_return login_failure(std::move(result), 400, "idp_missing");
  }
  auto idps = current.saml->idps->current();
  const saml::idp_descriptor* idp = idps->find(idp_it->second);
  if (idp == nullptr) co_return login_failure(std::move(result), 400, "unknown_idp");
  // Per IdP, over every client: a flood of logins towards one IdP is refused here before it
  // reaches the IdP (only configured IdPs are counted, so a made-up one cannot fill the store).
  const auto idp_check =
      co_await check_rate_limit(services_.login_state, "login_idp", idp->entity_id,
                                current.config->rate_limits.login_per_idp);
  if (idp_check.outcome != rate_check::verdict::allowed)
    co_return rate_limited(std::move(result), idp_check);
  const auto& kind_config = idp->kind == saml::provider_kind::cie ? config.cie : config.spid;

  int level = kind_config.default_level;
  if (auto it = params->find("level"); it != params->end()) {
    if (it->second != "1" && it->second != "2" && it->second != "3") {
      co_return login_failure(std::move(result), 400, "bad_level");
    }
    level = it->second[0] - '0';
  }
  std::string return_path;
  if (auto it = params->find("return"); it != params->end()) {
    // An unsafe return target is dropped (the user lands on /area), never followed.
    if (auto safe = safe_return_path(it->second, config.allowed_return_prefixes)) {
      return_path = *safe;
    }
  }

  // A fresh pre-login id for every login round, whatever cookie the browser brings: an id the
  // client chose (or one planted in its cookie jar by someone else) must never bind a login. A
  // round started later in another tab of the same browser replaces this one's cookie, so only
  // the latest round of a browser can complete (the earlier one ends with browser_mismatch).
  const bool plain = current.config->server.plain_http;
  const auto cookie_name = pre_login_cookie_name(plain);
  const std::string browser_cookie = session::new_session_id();

  const std::string relay_state = session::new_session_id();  // opaque, unguessable, server-side
  saml::authn_request_params request_params;
  request_params.idp = idp;
  request_params.kind = idp->kind;
  request_params.level = level;
  request_params.comparison = kind_config.comparison;
  request_params.attribute_service_index = kind_config.attribute_service_index;
  request_params.now = now_millis();
  request_params.binding = kind_config.request_binding == conf::saml_binding::post
                               ? std::string(saml::binding_post)
                               : std::string(saml::binding_redirect);
  request_params.relay_state = relay_state;
  // The RSA signature (over the query string, or the XML-DSig of the POST form) runs on the
  // crypto pool; the job owns what it reads (the service and the IdP set stay alive with it).
  // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
  auto sign = [service = current.saml, idps, request_params] {
    return saml::build_authn_request(service->profile, request_params);
  };
  auto signed_request =
      co_await services_.crypto.run(std::move(sign), current.config->server.limits.crypto_queue);
  if (!signed_request) co_return crypto_busy(std::move(result), "saml login");
  auto& built = *signed_request;
  if (!built) {
    spdlog::warn("saml login: cannot build AuthnRequest for {}: {} (reason={})", idp->entity_id,
                 built.error().detail, saml::reason_code(built.error().code));
    co_return login_failure(std::move(result), 502, saml::reason_code(built.error().code));
  }

  saml::pending_request pending;
  pending.request_id = built->id;
  pending.idp_entity_id = idp->entity_id;
  pending.kind = idp->kind;
  pending.level = level;
  pending.comparison = kind_config.comparison;
  pending.issue_instant = built->issue_instant;
  pending.return_path = return_path;
  pending.browser_binding = session::session_key(browser_cookie);
  auto stored = co_await services_.login_state.put(
      "a:" + relay_state, saml::encode_pending(pending), config.request_ttl);
  if (!stored) co_return login_failure(std::move(result), 503, "store_unavailable");

  boost::json::object audit;
  audit["request_id"] = built->id;
  audit["issue_instant"] = built->issue_instant.time_since_epoch().count();
  audit["idp"] = idp->entity_id;
  audit["provider"] = saml::to_string(idp->kind);
  audit["level"] = level;
  audit["client"] = result.notes.client;
  audit["xml"] = built->xml;
  if (!co_await services_.audit.append(config, "authn_request", audit)) {
    co_return login_failure(std::move(result), 503, "audit_unavailable");
  }

  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(config.request_ttl);
  const std::string set_cookie_value =
      set_cookie(cookie_name, browser_cookie, pre_login_cookie_options(plain, max_age));
  handler_result answered;
  if (request_params.binding == saml::binding_post) {
    answered = answer(std::move(result), http::status::ok, "text/html; charset=utf-8",
                      built->post_form_html);
  } else {
    answered = see_other(std::move(result), http::status::found, built->redirect_url);
  }
  answered.response->set(http::field::set_cookie, set_cookie_value);
  co_return answered;
}

}  // namespace varco::gateway
