// The Area Riservata's pages and forms: session lookup, dispatch, Panoramica, the environment
// choice and the party switch. The data comes from area_model, the HTML from page_renderer.
#include "gateway/portal/area_endpoints.hpp"

#include "base/clock.hpp"
#include "gateway/endpoint/signed_in_user.hpp"
#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/gateway_cookies.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/http/return_path.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/pages/page_language.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "gateway/portal/area_forms.hpp"
#include "gateway/portal/environment_redirect.hpp"
#include "gateway/portal/expired_post.hpp"
#include "gateway/portal/support_endpoints.hpp"
#include "policies/identity_token.hpp"

namespace varco::gateway {
namespace {

// A freshly signed identity token for a redirect environment (rare: not cached).
std::string sign_identity_token(const runtime& current, const conf::environment& env,
                                const policies::identity& identity) {
  return current.signer->sign(redirect_token_claims(*current.config, env, identity,
                                                    base::system_now(), policies::new_token_id()));
}

bool is_get(const http::request_header<>& r) {
  return r.method() == http::verb::get || r.method() == http::verb::head;
}

}  // namespace

awaitable<signed_in_user> area_endpoints::current_session(const http::request_header<>& request,
                                                          const runtime& current) {
  return find_signed_in_user(services_.sessions, request, current);
}

handler_result area_endpoints::no_session(const http::request_header<>& request,
                                          const signed_in_user& found,
                                          handler_result result) const {
  if (found.store_failed) return error(std::move(result), 503, "store_unavailable");
  if (result.notes.json) return error(std::move(result), 401, "login_required");
  result.notes.reason = "login_required";
  const std::string back =
      login_return_path(is_get(request), result.notes.path, std::string_view(request.target()));
  return redirect(std::move(result), http::status::found, login_redirect(back, found.cookie_sent));
}

awaitable<handler_result> area_endpoints::handle(reserved_endpoint endpoint,
                                                 const http::request_header<>& request,
                                                 const runtime& current, handler_result result) {
  if (endpoint == reserved_endpoint::area_unknown) {
    // Still the signed-in user's area: the page says so in its frame, with the way back.
    if (!result.notes.json) user_ = (co_await current_session(request, current)).user;
    co_return error(std::move(result), 404, "no_route");
  }
  if (request.method() == http::verb::post) {
    // The session is looked up with the body, in handle_body: one lookup per request.
    result.wants_body = true;  // at most the route's cap (routing/reserved_routes.hpp)
    result.expect_continue = beast::iequals(request[http::field::expect], "100-continue");
    co_return result;
  }
  const signed_in_user found = co_await current_session(request, current);
  if (!found.user) co_return no_session(request, found, std::move(result));
  user_ = found.user;
  result.notes.party = found.user->selected_party;
  const session::session& user = *found.user;
  if (is_draft_form(result.notes.path) && request.method() == http::verb::get)
    co_return co_await draft_form_page(request, user, current, std::move(result));
  switch (endpoint) {
    case reserved_endpoint::area_overview:
      co_return overview(user, current, std::move(result));
    case reserved_endpoint::area_users:
      co_return users_page(user, current, std::move(result));
    case reserved_endpoint::area_member:
      co_return confirm_member_action(request, user, current, std::move(result));
    case reserved_endpoint::area_join:
      co_return confirm_join(request, user, current, std::move(result));
    case reserved_endpoint::area_delegations:
      co_return delegations_page(request, user, current, std::move(result));
    case reserved_endpoint::area_support:
    case reserved_endpoint::area_support_sent:
      co_return support_endpoints(services_).show(request, user, current, std::move(result));
    case reserved_endpoint::area_environment:
      co_return environment_page(request, user, current, std::move(result));
    default:
      co_return error(std::move(result), 404, "no_route");
  }
}

awaitable<handler_result> area_endpoints::handle_body(
    reserved_endpoint endpoint, const http::request<http::string_body>& request,
    const runtime& current, handler_result result) {
  const signed_in_user found = co_await current_session(request.base(), current);
  if (!found.user)
    co_return co_await no_session_after_post(request, found, current, std::move(result));
  user_ = found.user;
  const session::session& user = *found.user;
  result.notes.party = user.selected_party;
  auto form = parse_form(request.body());
  if (!form) co_return refuse(std::move(result), area_errc::bad_form);
  // Every area form is state-changing: the session's token first, before anything else is read.
  if (!csrf_matches(field_of(*form, "csrf"), user.csrf_token))
    co_return refuse(std::move(result), area_errc::csrf_invalid);
  switch (endpoint) {
    case reserved_endpoint::area_environment:
      co_return co_await choose_environment(*form, user, current, std::move(result));
    case reserved_endpoint::area_party:
      co_return co_await switch_party(*form, user, current, std::move(result));
    case reserved_endpoint::area_users:
      co_return co_await add_member(*form, user, current, std::move(result));
    case reserved_endpoint::area_member:
      co_return co_await change_member(*form, user, current, std::move(result));
    case reserved_endpoint::area_join:
      co_return co_await join_product(*form, user, current, std::move(result));
    case reserved_endpoint::area_support:
      co_return co_await support_endpoints(services_).submit(*form, user, current,
                                                             std::move(result));
    default:
      co_return error(std::move(result), 404, "no_route");
  }
}

handler_result area_endpoints::overview(const session::session& user, const runtime& current,
                                        handler_result result) const {
  const area_view view = build_area_view(user, *current.directory, *current.config);
  // Rendered before `result` is moved into page(): the renderer reads its language and path.
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, current)).overview(view);
  return page(std::move(result), std::move(body));
}

handler_result area_endpoints::environment_page(const http::request_header<>& request,
                                                const session::session& user,
                                                const runtime& current,
                                                handler_result result) const {
  auto params = parse_query(query_of(request.target()));
  if (!params) return refuse(std::move(result), area_errc::bad_form);
  const std::string product = field_of(*params, "product");
  result.notes.product = product;
  auto choices = environment_choices(user, *current.directory, *current.config, product);
  if (!choices) return refuse(std::move(result), static_cast<area_errc>(choices.error().value()));
  if (auto back = safe_return_path(field_of(*params, "return"),
                                   current.config->saml.allowed_return_prefixes)) {
    choices->return_path = std::move(*back);
  }
  const area_view view = build_area_view(user, *current.directory, *current.config);
  std::string body = page_renderer::for_this_thread(page_context_of(result.notes, current))
                         .environment_choice(view, *choices);
  return page(std::move(result), std::move(body));
}

awaitable<handler_result> area_endpoints::choose_environment(
    const std::map<std::string, std::string>& form, const session::session& user,
    const runtime& current, handler_result result) {
  const std::string product_id = field_of(form, "product");
  const std::string environment_id = field_of(form, "environment");
  result.notes.product = product_id;
  result.notes.environment = environment_id;
  auto chosen = check_environment_choice(user, *current.directory, *current.config, product_id,
                                         environment_id);
  if (!chosen) co_return refuse(std::move(result), static_cast<area_errc>(chosen.error().value()));
  const conf::product& product = *current.config->find_product(product_id);
  if ((*chosen)->mode == conf::environment_mode::redirect) {
    // The portal lives elsewhere: nothing to remember in the session, a fresh token to hand over
    // in the URL's fragment (which browsers never send to a server or log).
    auto identity = redirect_identity(user, *current.directory, *current.config, product, **chosen);
    if (!identity)
      co_return refuse(std::move(result), static_cast<area_errc>(identity.error().value()));
    const std::string location = fill_redirect_url(
        (*chosen)->redirect_url, {.token = sign_identity_token(current, **chosen, *identity),
                                  .party = user.selected_party,
                                  .product = product_id});
    result.notes.reason = "redirect_environment";
    co_return redirect(std::move(result), http::status::see_other, location);
  }

  session::session updated = user;
  updated.environments[product_id] = environment_id;
  auto saved = co_await services_.sessions.update(std::move(updated));
  if (!saved) co_return error(std::move(result), 503, "store_unavailable");

  std::string location;
  if (auto back = safe_return_path(field_of(form, "return"),
                                   current.config->saml.allowed_return_prefixes)) {
    location = std::move(*back);
  } else {
    location = product_entry_url(product, result.notes.tls);
  }
  co_return redirect(std::move(result), http::status::see_other, location);
}

awaitable<handler_result> area_endpoints::switch_party(
    const std::map<std::string, std::string>& form, const session::session& user,
    const runtime& current, handler_result result) {
  const std::string party = field_of(form, "party");
  if (auto allowed = check_party_switch(user, *current.directory, party); !allowed)
    co_return refuse(std::move(result), static_cast<area_errc>(allowed.error().value()));

  session::session updated = user;
  updated.selected_party = party;
  // Environment choices were made for the previous party's products: none carries over, so the
  // new party's access is decided afresh (the token cache is keyed by party, claims follow).
  updated.environments.clear();
  auto saved = co_await services_.sessions.update(std::move(updated));
  if (!saved) co_return error(std::move(result), 503, "store_unavailable");
  result.notes.party = party;
  co_return redirect(std::move(result), http::status::see_other, "/area?done=party_switched");
}

handler_result area_endpoints::page(handler_result result, std::string body,
                                    http::status status) const {
  return html_page(std::move(result), status, std::move(body),
                   services_.runtime.current()->config->server.plain_http);
}

handler_result area_endpoints::refuse(handler_result result, area_errc why) const {
  return error(std::move(result), status_of(why), reason_code(why));
}

handler_result area_endpoints::error(handler_result result, unsigned status,
                                     std::string_view reason) const {
  if (user_ != nullptr && !result.notes.json) {
    const auto& current = services_.runtime.current();
    const area_view view = build_area_view(*user_, *current->directory, *current->config);
    return error_page(*services_.runtime.current(), std::move(result), status, reason, &view);
  }
  return error_page(*services_.runtime.current(), std::move(result), status, reason);
}

handler_result area_endpoints::redirect(handler_result result, http::status status,
                                        std::string_view location) const {
  result.response = redirect_response(status, location, result.notes.request_id, result.notes.tls,
                                      services_.runtime.current()->config->server.plain_http);
  return result;
}

}  // namespace varco::gateway
