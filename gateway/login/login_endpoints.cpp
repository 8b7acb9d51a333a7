// Dispatch, shared helpers, the login page, SP metadata and the signed-in landing page.
#include "gateway/login/login_endpoints.hpp"

#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/http/return_path.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/login/login_pages.hpp"
#include "gateway/login/saml_service.hpp"
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/legal_endpoints.hpp"
#include "gateway/portal/page_renderer.hpp"
#include "gateway/worker.hpp"
#include "saml/post_form.hpp"

#include <algorithm>
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

bool login_endpoints::handles(std::string_view path) {
  return path == saml::autopost_script_path || path == "/login" || path == "/logout" ||
         area_endpoints::handles(path) || legal_endpoints::handles(path) ||
         path == "/saml/metadata" || path == "/saml/metadata/cie" || path == "/saml/login" ||
         path == "/saml/acs" || path == "/saml/slo";
}

handler_result login_endpoints::answer(handler_result result, http::status status,
                                       std::string_view content_type, std::string body) const {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  // The login pages load nothing but our own CSS/JS; SAML POST forms submit to the IdP.
  add_security_headers(response, result.notes.tls,
                       owner_.runtime().get()->config->server.plain_http);
  response.set("X-Request-Id", result.notes.request_id);
  response.body() = std::move(body);
  response.prepare_payload();
  result.response = std::move(response);
  return result;
}

handler_result login_endpoints::see_other(handler_result result, http::status status,
                                          std::string_view location) const {
  result.response = redirect_response(status, location, result.notes.request_id, result.notes.tls,
                                      owner_.runtime().get()->config->server.plain_http);
  return result;
}

handler_result login_endpoints::rate_limited(handler_result result, const rate_check& check) const {
  if (check.outcome == rate_check::verdict::store_failed)
    return login_failure(std::move(result), 503, "store_unavailable");
  owner_.count_rejection("rate_limited");
  auto answered = login_failure(std::move(result), 429, "rate_limited");
  answered.response->set(http::field::retry_after, std::to_string(check.retry_after.count()));
  return answered;
}

handler_result login_endpoints::login_failure(handler_result result, unsigned status,
                                              std::string_view reason, std::string anomaly) const {
  result.notes.reason = reason;
  const bool json = result.notes.json;
  if (json) {
    login_error error{status, std::string(reason), std::move(anomaly), result.notes.request_id,
                      owner_.runtime().get()->config->support.email};
    return answer(std::move(result), static_cast<http::status>(status), "application/json",
                  render_login_error_json(error));
  }
  const login_error_view error{status, std::string(reason), std::move(anomaly),
                               result.notes.request_id};
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, *owner_.runtime().get()))
          .login_error(error);
  auto answered = answer(std::move(result), static_cast<http::status>(status),
                         "text/html; charset=utf-8", std::move(body));
  add_language_headers(*answered.response, answered.notes);
  return answered;
}

awaitable<std::shared_ptr<const session::session>> signed_in_user(
    worker& owner, const http::request_header<>& request, const runtime& current,
    bool& store_failed) {
  store_failed = false;
  for (auto [field, fields_end] = request.equal_range(http::field::cookie); field != fields_end;
       ++field) {
    auto id = find_cookie(field->value(), current.cookie_name);
    if (!id) continue;
    auto found = co_await owner.sessions().find_shared(*id);
    if (!found) {
      store_failed = true;
      co_return nullptr;
    }
    co_return *found;
  }
  co_return nullptr;
}

awaitable<handler_result> login_endpoints::handle(const http::request_header<>& request,
                                                  const runtime& current, handler_result result) {
  const std::string path = result.notes.path;
  const auto query = query_of(request.target());
  const bool saml_on = current.saml != nullptr;

  if (path == saml::autopost_script_path) {
    // The SAML POST binding's auto-submit script, compiled in so the flow works whatever serves
    // /static.
    if (!is_get(request)) co_return login_failure(std::move(result), 405, "method_not_allowed");
    auto answered =
        answer(std::move(result), http::status::ok, "application/javascript; charset=utf-8",
               std::string(saml::autopost_script));
    answered.response->set(http::field::cache_control, "public, max-age=3600");
    co_return answered;
  }
  if (path == "/login") {
    if (!is_get(request)) co_return login_failure(std::move(result), 405, "method_not_allowed");
    co_return co_await login_page(request, current, query, std::move(result));
  }
  if (area_endpoints::handles(path)) {
    if (request.method() == http::verb::post) {
      const auto check = co_await check_rate_limit(
          owner_.login_state(), "forms", result.notes.client, current.config->rate_limits.forms);
      if (check.outcome != rate_check::verdict::allowed)
        co_return rate_limited(std::move(result), check);
    }
    area_endpoints area(owner_);
    co_return co_await area.handle(request, current, std::move(result));
  }
  if (legal_endpoints::handles(path))
    co_return co_await legal_endpoints(owner_).handle(request, current, std::move(result));
  if (!saml_on) co_return login_failure(std::move(result), 404, "saml_not_configured");

  if (path == "/saml/metadata" || path == "/saml/metadata/cie") {
    if (!is_get(request)) co_return login_failure(std::move(result), 405, "method_not_allowed");
    const bool cie = path.ends_with("/cie");
    const std::string& xml = cie ? current.saml->cie_metadata : current.saml->spid_metadata;
    if (xml.empty()) co_return login_failure(std::move(result), 404, "cie_not_configured");
    auto answered =
        answer(std::move(result), http::status::ok, "application/samlmetadata+xml", xml);
    answered.response->set(http::field::cache_control, "public, max-age=3600");
    co_return answered;
  }
  if (path == "/saml/login") {
    if (!is_get(request)) co_return login_failure(std::move(result), 405, "method_not_allowed");
    const auto check = co_await check_rate_limit(owner_.login_state(), "login", result.notes.client,
                                                 current.config->rate_limits.login);
    if (check.outcome != rate_check::verdict::allowed)
      co_return rate_limited(std::move(result), check);
    co_return co_await start_login(current, query, std::move(result));
  }
  if (path == "/saml/slo" && is_get(request)) {
    co_return co_await single_logout(request, query, {}, current, std::move(result));
  }
  // /saml/acs, /saml/slo (POST binding) and /logout carry a form.
  if (request.method() != http::verb::post) {
    co_return login_failure(std::move(result), 405, "method_not_allowed");
  }
  if (path == "/saml/acs") {
    const auto check = co_await check_rate_limit(owner_.login_state(), "acs", result.notes.client,
                                                 current.config->rate_limits.acs);
    if (check.outcome != rate_check::verdict::allowed)
      co_return rate_limited(std::move(result), check);
  }
  result.wants_body = true;  // at most the route's cap (routing/body_limits.hpp)
  result.expect_continue = beast::iequals(request[http::field::expect], "100-continue");
  co_return result;
}

awaitable<handler_result> login_endpoints::handle_body(
    const http::request<http::string_body>& request, const runtime& current,
    handler_result result) {
  const std::string path = result.notes.path;
  if (area_endpoints::handles(path)) {
    area_endpoints area(owner_);
    co_return co_await area.handle_body(request, current, std::move(result));
  }
  if (path == "/saml/acs") co_return co_await finish_login(request, current, std::move(result));
  if (path == "/logout") co_return co_await logout(request, current, std::move(result));
  if (path == "/saml/slo") {
    co_return co_await single_logout(request.base(), {}, request.body(), current,
                                     std::move(result));
  }
  co_return login_failure(std::move(result), 404, "not_found");
}

awaitable<handler_result> login_endpoints::login_page(const http::request_header<>& request,
                                                      const runtime& current,
                                                      std::string_view query,
                                                      handler_result result) {
  login_view page;
  auto params = parse_query(query);
  if (params) {
    const auto& allowed = current.config->saml.allowed_return_prefixes;
    if (auto it = params->find("return"); it != params->end()) {
      if (auto safe = safe_return_path(it->second, allowed)) page.return_path = *safe;
    }
    page.session_expired = params->contains("expired");
  }
  if (current.saml) {
    auto idps = current.saml->idps->current();
    // The official SPID button lists the IdPs in random order, so none is favoured.
    static thread_local std::mt19937 shuffle_rng{std::random_device{}()};
    for (const auto* idp : idps->of_kind(saml::provider_kind::spid)) {
      page.spid.push_back({idp->entity_id, idp->display_name, idp->logo});
    }
    std::shuffle(page.spid.begin(), page.spid.end(), shuffle_rng);
    page.cie_configured = current.config->saml.cie.configured;
    for (const auto* idp : idps->of_kind(saml::provider_kind::cie)) {
      page.cie.push_back({idp->entity_id, idp->display_name, idp->logo});
    }
  }
  (void)request;
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, current)).login(page);
  auto answered =
      answer(std::move(result), http::status::ok, "text/html; charset=utf-8", std::move(body));
  add_language_headers(*answered.response, answered.notes);
  co_return answered;
}

}  // namespace varco::gateway
