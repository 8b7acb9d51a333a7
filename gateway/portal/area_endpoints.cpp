// The Area Riservata's pages and forms: session lookup, dispatch, Panoramica, the environment
// choice and the party switch. The data comes from area_model, the HTML from page_renderer.
#include "gateway/portal/area_endpoints.hpp"

#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/gateway_cookies.hpp"
#include "gateway/http/redirect.hpp"
#include "gateway/http/return_path.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/portal/area_forms.hpp"
#include "gateway/portal/environment_redirect.hpp"
#include "gateway/portal/expired_post.hpp"
#include "gateway/portal/page_language.hpp"
#include "gateway/portal/page_renderer.hpp"
#include "gateway/portal/support_endpoints.hpp"
#include "gateway/worker.hpp"

namespace varco::gateway {
namespace {

bool is_get(const http::request_header<>& r) {
  return r.method() == http::verb::get || r.method() == http::verb::head;
}

}  // namespace

void add_language_headers(http::response<http::string_body>& response,
                          const exchange_notes& notes) {
  response.set(http::field::content_language, code_of(notes.lang));
  if (!notes.language_chosen) return;
  std::string cookie = std::string(language_cookie_name) + "=" + std::string(code_of(notes.lang)) +
                       "; Path=/; Max-Age=31536000; SameSite=Lax";
  if (notes.tls) cookie += "; Secure";
  response.set(http::field::set_cookie, cookie);
}

handler_result html_page(handler_result result, http::status status, std::string body,
                         bool plain_http) {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  add_language_headers(response, result.notes);
  add_security_headers(response, result.notes.tls, plain_http);
  response.set("X-Request-Id", result.notes.request_id);
  response.body() = std::move(body);
  response.prepare_payload();
  result.response = std::move(response);
  return result;
}

handler_result error_page(worker& owner, handler_result result, unsigned status,
                          std::string_view reason, const area_view* user) {
  result.notes.reason = reason;
  result.response = owner.handler().error_response(status, reason, result.notes, result.notes.json,
                                                   result.notes.request_id, user);
  return result;
}

page_context page_context_of(const exchange_notes& notes, const runtime& current) {
  return make_page_context(notes.lang, notes.page_target.empty() ? notes.path : notes.page_target,
                           *current.config);
}

bool area_endpoints::handles(std::string_view path) {
  return path == "/area" || path.starts_with("/area/");
}

awaitable<area_endpoints::signed_in> area_endpoints::current_session(
    const http::request_header<>& request, const runtime& current) {
  signed_in found;
  for (auto [field, fields_end] = request.equal_range(http::field::cookie); field != fields_end;
       ++field) {
    auto id = find_cookie(field->value(), current.cookie_name);
    if (!id) continue;
    found.cookie_sent = true;
    auto looked_up = co_await owner_.sessions().find_shared(*id);
    if (!looked_up) {
      found.store_failed = true;
      co_return found;
    }
    found.user = std::move(*looked_up);
    co_return found;
  }
  co_return found;
}

handler_result area_endpoints::no_session(const http::request_header<>& request,
                                          const signed_in& found, handler_result result) const {
  if (found.store_failed) return error(std::move(result), 503, "store_unavailable");
  if (result.notes.json) return error(std::move(result), 401, "login_required");
  result.notes.reason = "login_required";
  const std::string back =
      login_return_path(is_get(request), result.notes.path, std::string_view(request.target()));
  return redirect(std::move(result), http::status::found, login_redirect(back, found.cookie_sent));
}

awaitable<handler_result> area_endpoints::handle(const http::request_header<>& request,
                                                 const runtime& current, handler_result result) {
  const std::string path = result.notes.path;
  const bool support = support_endpoints::handles(path);
  const bool post_only = path == "/area/party";
  const bool get_only =
      path == "/area" || path == "/area/delegations" || path == "/area/support/sent";
  // GET of an action's path is its confirmation page (the dialog's no-script way).
  const bool get_or_post = path == "/area/environment" || path == "/area/users" ||
                           path == "/area/support" || path == "/area/users/member" ||
                           path == "/area/join";
  const bool post = request.method() == http::verb::post;
  const bool method_ok = get_only ? is_get(request) : post_only ? post : is_get(request) || post;
  if (!get_only && !post_only && !get_or_post) {
    // Still the signed-in user's area: the page says so in its frame, with the way back.
    if (!result.notes.json) user_ = (co_await current_session(request, current)).user;
    co_return error(std::move(result), 404, "no_route");
  }
  if (!method_ok) {
    if (!result.notes.json) user_ = (co_await current_session(request, current)).user;
    co_return error(std::move(result), 405, "method_not_allowed");
  }

  if (post) {
    // The session is looked up with the body, in handle_body: one lookup per request.
    result.wants_body = true;  // at most the route's cap (routing/body_limits.hpp)
    result.expect_continue = beast::iequals(request[http::field::expect], "100-continue");
    co_return result;
  }
  const signed_in found = co_await current_session(request, current);
  if (!found.user) co_return no_session(request, found, std::move(result));
  user_ = found.user;
  result.notes.party = found.user->selected_party;
  if (path == "/area") co_return overview(*found.user, current, std::move(result));
  if (is_draft_form(path) && request.method() == http::verb::get)
    co_return co_await draft_form_page(request, *found.user, current, std::move(result));
  if (path == "/area/users") co_return users_page(*found.user, current, std::move(result));
  if (path == "/area/users/member")
    co_return confirm_member_action(request, *found.user, current, std::move(result));
  if (path == "/area/join")
    co_return confirm_join(request, *found.user, current, std::move(result));
  if (path == "/area/delegations")
    co_return delegations_page(request, *found.user, current, std::move(result));
  if (support)
    co_return support_endpoints(owner_).show(request, *found.user, current, std::move(result));
  co_return environment_page(request, *found.user, current, std::move(result));
}

awaitable<handler_result> area_endpoints::handle_body(
    const http::request<http::string_body>& request, const runtime& current,
    handler_result result) {
  const signed_in found = co_await current_session(request.base(), current);
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
  const std::string& path = result.notes.path;
  if (path == "/area/environment")
    co_return co_await choose_environment(*form, user, current, std::move(result));
  if (path == "/area/users") co_return co_await add_member(*form, user, current, std::move(result));
  if (path == "/area/users/member")
    co_return co_await change_member(*form, user, current, std::move(result));
  if (path == "/area/join")
    co_return co_await join_product(*form, user, current, std::move(result));
  if (support_endpoints::handles(path))
    co_return co_await support_endpoints(owner_).submit(*form, user, current, std::move(result));
  co_return co_await switch_party(*form, user, current, std::move(result));
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
        (*chosen)->redirect_url, {.token = owner_.sign_identity_token(current, **chosen, *identity),
                                  .party = user.selected_party,
                                  .product = product_id});
    result.notes.reason = "redirect_environment";
    co_return redirect(std::move(result), http::status::see_other, location);
  }

  session::session updated = user;
  updated.environments[product_id] = environment_id;
  auto saved = co_await owner_.sessions().update(std::move(updated));
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
  auto saved = co_await owner_.sessions().update(std::move(updated));
  if (!saved) co_return error(std::move(result), 503, "store_unavailable");
  result.notes.party = party;
  co_return redirect(std::move(result), http::status::see_other, "/area?done=party_switched");
}

handler_result area_endpoints::page(handler_result result, std::string body,
                                    http::status status) const {
  return html_page(std::move(result), status, std::move(body),
                   owner_.runtime().get()->config->server.plain_http);
}

handler_result area_endpoints::refuse(handler_result result, area_errc why) const {
  return error(std::move(result), status_of(why), reason_code(why));
}

handler_result area_endpoints::error(handler_result result, unsigned status,
                                     std::string_view reason) const {
  if (user_ != nullptr && !result.notes.json) {
    const auto current = owner_.runtime().get();
    const area_view view = build_area_view(*user_, *current->directory, *current->config);
    return error_page(owner_, std::move(result), status, reason, &view);
  }
  return error_page(owner_, std::move(result), status, reason);
}

handler_result area_endpoints::redirect(handler_result result, http::status status,
                                        std::string_view location) const {
  result.response = redirect_response(status, location, result.notes.request_id, result.notes.tls,
                                      owner_.runtime().get()->config->server.plain_http);
  return result;
}

}  // namespace varco::gateway
