// Dispatch, shared helpers, the login page, SP metadata and the signed-in landing page.
#include "gateway/login/login_endpoints.hpp"

#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/own_cookies.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/http/return_path.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/login/login_choices.hpp"
#include "gateway/login/oidc_service.hpp"
#include "gateway/login/saml_service.hpp"
#include "gateway/pages/login_pages.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "saml/post_form.hpp"

#include <spdlog/spdlog.h>

#include <random>

namespace varco::gateway {
namespace {

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

bool is_get(const http::request_header<>& r) {
  return r.method() == http::verb::get || r.method() == http::verb::head;
}

}  // namespace

handler_result login_endpoints::answer(handler_result result, http::status status,
                                       std::string_view content_type, std::string body) const {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  // The login pages load nothing but our own CSS/JS; SAML POST forms submit to the IdP.
  add_security_headers(response, result.notes.tls,
                       services_.runtime.current()->config->server.plain_http);
  response.set("X-Request-Id", result.notes.request_id);
  response.body() = std::move(body);
  response.prepare_payload();
  result.response = std::move(response);
  return result;
}

handler_result login_endpoints::see_other(handler_result result, http::status status,
                                          std::string_view location) const {
  result.response = redirect_response(status, location, result.notes.request_id, result.notes.tls,
                                      services_.runtime.current()->config->server.plain_http);
  return result;
}

handler_result login_endpoints::signed_in(handler_result result, const runtime& current,
                                          const std::string& cookie_id,
                                          const std::string& return_path) const {
  const bool plain = current.config->server.plain_http;
  auto answered = see_other(std::move(result), http::status::see_other,
                            return_path.empty() ? "/area" : return_path);
  answered.response->insert(http::field::set_cookie, set_cookie(current.cookie_name, cookie_id,
                                                                session_cookie_options(plain)));
  answered.response->insert(http::field::set_cookie,
                            set_cookie(pre_login_cookie_name(plain), "",
                                       pre_login_cookie_options(plain, std::chrono::seconds(0))));
  return answered;
}

handler_result login_endpoints::logged_out(handler_result result, const runtime& current,
                                           const std::string& expire_cookie,
                                           const std::optional<std::string>& expire_draft) const {
  std::string page =
      page_renderer::for_this_thread(page_context_of(result.notes, current)).logged_out(false);
  auto answered =
      answer(std::move(result), http::status::ok, "text/html; charset=utf-8", std::move(page));
  answered.response->set(http::field::set_cookie, expire_cookie);
  if (expire_draft) answered.response->insert(http::field::set_cookie, *expire_draft);
  return answered;
}

handler_result login_endpoints::rate_limited(handler_result result, const rate_check& check) const {
  if (check.outcome == rate_check::verdict::store_failed)
    return login_failure(std::move(result), 503, "store_unavailable");
  services_.rejections.count_rejection("rate_limited");
  auto answered = login_failure(std::move(result), 429, "rate_limited");
  answered.response->set(http::field::retry_after, std::to_string(check.retry_after.count()));
  return answered;
}

handler_result login_endpoints::crypto_busy(handler_result result, std::string_view step) const {
  spdlog::warn(
      "{}: every crypto thread busy and server.limits.crypto_queue jobs waiting, "
      "refused (reason=crypto_busy) client={}",
      step, result.notes.client);
  auto answered = login_failure(std::move(result), 503, "crypto_busy");
  // A burst passes within a second: each crypto thread makes hundreds of signatures a second.
  answered.response->set(http::field::retry_after, "1");
  return answered;
}

handler_result login_endpoints::login_failure(handler_result result, unsigned status,
                                              std::string_view reason, std::string anomaly) const {
  result.notes.reason = reason;
  const bool json = result.notes.json;
  if (json) {
    login_error error{status, std::string(reason), std::move(anomaly), result.notes.request_id,
                      services_.runtime.current()->config->support.email};
    return answer(std::move(result), static_cast<http::status>(status), "application/json",
                  render_login_error_json(error));
  }
  const login_error_view error{status, std::string(reason), std::move(anomaly),
                               result.notes.request_id};
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, *services_.runtime.current()))
          .login_error(error);
  auto answered = answer(std::move(result), static_cast<http::status>(status),
                         "text/html; charset=utf-8", std::move(body));
  add_language_headers(*answered.response, answered.notes);
  return answered;
}

awaitable<handler_result> login_endpoints::handle(reserved_endpoint endpoint,
                                                  const http::request_header<>& request,
                                                  const runtime& current, handler_result result) {
  const auto query = query_of(request.target());
  switch (endpoint) {
    case reserved_endpoint::autopost_script: {
      // The SAML POST binding's auto-submit script, compiled in so the flow works whatever
      // serves /static.
      auto answered =
          answer(std::move(result), http::status::ok, "application/javascript; charset=utf-8",
                 std::string(saml::autopost_script));
      answered.response->set(http::field::cache_control, "public, max-age=3600");
      co_return answered;
    }
    case reserved_endpoint::login_page:
      co_return co_await login_page(request, current, query, std::move(result));
    default:
      break;
  }
  switch (endpoint) {
    case reserved_endpoint::openid_federation:
      co_return entity_configuration(current, std::move(result));
    case reserved_endpoint::oidc_login:
    case reserved_endpoint::oidc_callback:
    case reserved_endpoint::oidc_logged_out:
      if (!current.oidc) co_return login_failure(std::move(result), 404, "oidc_not_configured");
      if (endpoint == reserved_endpoint::oidc_login)
        co_return co_await start_oidc_login(current, query, std::move(result));
      if (endpoint == reserved_endpoint::oidc_callback)
        co_return co_await finish_oidc_login(request, current, query, std::move(result));
      if (endpoint == reserved_endpoint::oidc_logged_out) {
        std::string page =
            page_renderer::for_this_thread(page_context_of(result.notes, current)).logged_out(true);
        auto answered = answer(std::move(result), http::status::ok, "text/html; charset=utf-8",
                               std::move(page));
        add_language_headers(*answered.response, answered.notes);
        co_return answered;
      }
      break;
    default:
      break;
  }
  if (endpoint == reserved_endpoint::logout ||
      endpoint == reserved_endpoint::oidc_backchannel_logout) {
    // Esci, whichever protocol made the session; the logout_token form. The body is read (up to
    // the route's cap) before anything is answered, configured or not.
    result.wants_body = true;
    result.expect_continue = beast::iequals(request[http::field::expect], "100-continue");
    co_return result;
  }
  if (!current.saml) co_return login_failure(std::move(result), 404, "saml_not_configured");
  switch (endpoint) {
    case reserved_endpoint::saml_metadata:
    case reserved_endpoint::saml_metadata_cie: {
      const bool cie = endpoint == reserved_endpoint::saml_metadata_cie;
      const std::string& xml = cie ? current.saml->cie_metadata : current.saml->spid_metadata;
      if (xml.empty()) co_return login_failure(std::move(result), 404, "cie_not_configured");
      auto answered =
          answer(std::move(result), http::status::ok, "application/samlmetadata+xml", xml);
      answered.response->set(http::field::cache_control, "public, max-age=3600");
      co_return answered;
    }
    case reserved_endpoint::saml_login:
      co_return co_await start_login(current, query, std::move(result));
    case reserved_endpoint::saml_slo:
      if (is_get(request))
        co_return co_await single_logout(request, query, {}, current, std::move(result));
      break;
    default:
      break;
  }
  // /saml/acs, /saml/slo (POST binding) and /logout carry a form.
  result.wants_body = true;  // at most the route's cap (routing/reserved_routes.hpp)
  result.expect_continue = beast::iequals(request[http::field::expect], "100-continue");
  co_return result;
}

awaitable<handler_result> login_endpoints::handle_body(
    reserved_endpoint endpoint, const http::request<http::string_body>& request,
    const runtime& current, handler_result result) {
  switch (endpoint) {
    case reserved_endpoint::saml_acs:
      co_return co_await finish_login(request, current, std::move(result));
    case reserved_endpoint::logout:
      co_return co_await logout(request, current, std::move(result));
    case reserved_endpoint::oidc_backchannel_logout:
      co_return co_await backchannel_logout(request, current, std::move(result));
    case reserved_endpoint::saml_slo:
      co_return co_await single_logout(request.base(), {}, request.body(), current,
                                       std::move(result));
    default:
      co_return login_failure(std::move(result), 404, "not_found");
  }
}

awaitable<handler_result> login_endpoints::login_page(const http::request_header<>& request,
                                                      const runtime& current,
                                                      std::string_view query,
                                                      handler_result result) {
  login_sources sources;
  bool session_expired = false;
  if (auto params = parse_query(query)) {
    // Each protocol's links carry the return path only where its own return_paths allow it:
    // its login endpoint would drop it anyway.
    if (auto it = params->find("return"); it != params->end()) {
      if (auto safe = safe_return_path(it->second, current.config->saml.allowed_return_prefixes))
        sources.saml_return = std::move(*safe);
      if (auto safe = safe_return_path(it->second, current.config->oidc.allowed_return_prefixes))
        sources.oidc_return = std::move(*safe);
    }
    session_expired = params->contains("expired");
  }
  if (current.saml) {
    auto idps = current.saml->idps->current();
    for (const auto* idp : idps->of_kind(saml::provider_kind::spid))
      sources.saml_spid.push_back({idp->entity_id, idp->display_name, idp->logo});
    if (current.config->saml.cie.configured) {
      for (const auto* idp : idps->of_kind(saml::provider_kind::cie))
        sources.saml_cie.push_back({idp->entity_id, idp->display_name, idp->logo});
    }
  }
  if (current.oidc) sources.oidc = current.oidc->config->providers;
  static thread_local std::mt19937 shuffle_rng{std::random_device{}()};
  login_view page = login_choices(sources, shuffle_rng);
  page.session_expired = session_expired;
  (void)request;
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, current)).login(page);
  auto answered =
      answer(std::move(result), http::status::ok, "text/html; charset=utf-8", std::move(body));
  add_language_headers(*answered.response, answered.notes);
  co_return answered;
}

}  // namespace varco::gateway
