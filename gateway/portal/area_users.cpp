// Utenti (the party's users, for its Amministratori) and Aderisci (a join request for a product).
// The rules live in users_model; this file reads the forms, writes through the worker's directory
// store and answers. A write is reloaded on this worker before the 303, so the page the browser
// lands on already shows it; other workers and instances follow on the store's notification.
#include "gateway/http/form_body.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "gateway/pages/users_model.hpp"
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/area_forms.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <utility>

namespace varco::gateway {
namespace {

std::string utc_now_iso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> out{};
  const std::size_t n = std::strftime(out.data(), out.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {out.data(), n};
}

}  // namespace

handler_result area_endpoints::users_page(const session::session& user, const runtime& current,
                                          handler_result result, const form_draft* draft) const {
  if (auto access = check_users_access(user, *current.directory); !access)
    return refuse(std::move(result), static_cast<area_errc>(access.error().value()));
  users_page_state state;
  if (draft != nullptr) {
    // The add form as typed before the session ended; checked only when sent again.
    const auto& typed = draft->fields;
    state.form = {field_of(typed, "fiscal_number"), field_of(typed, "name"),
                  field_of(typed, "family_name"),   field_of(typed, "email"),
                  field_of(typed, "product"),       field_of(typed, "role")};
    state.draft_restored = true;
  }
  const area_view view = build_area_view(user, *current.directory, *current.config);
  const users_view users = build_users_view(user, *current.directory, *current.config);
  std::string body = page_renderer::for_this_thread(page_context_of(result.notes, current))
                         .users(view, users, state);
  return page(std::move(result), std::move(body));
}

handler_result area_endpoints::confirm_member_action(const http::request_header<>& request,
                                                     const session::session& user,
                                                     const runtime& current,
                                                     handler_result result) const {
  auto params = parse_query(query_of(request.target()));
  member_action action{};
  if (!params || !parse_member_action(field_of(*params, "action"), action))
    return refuse(std::move(result), area_errc::bad_form);
  const std::string member = field_of(*params, "user");
  const std::string product = field_of(*params, "product");
  result.notes.product = product;
  // Refused now rather than after the confirmation (the last administrator, oneself, …).
  if (auto changes =
          check_member_action(user, *current.directory, *current.config, member, product, action);
      !changes) {
    return refuse(std::move(result), static_cast<area_errc>(changes.error().value()));
  }
  const users_view users = build_users_view(user, *current.directory, *current.config);
  confirm_view page;
  page.action = action == member_action::suspend      ? confirmed_action::suspend
                : action == member_action::reactivate ? confirmed_action::reactivate
                                                      : confirmed_action::remove;
  page.member_fiscal_number = member;
  page.product_id = product;
  for (const auto& row : users.rows) {
    if (row.fiscal_number != member || row.product_id != product) continue;
    page.member_name = row.name;
    page.product_title = row.product_title;
  }
  const area_view view = build_area_view(user, *current.directory, *current.config);
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, current)).confirm(view, page);
  return this->page(std::move(result), std::move(body));
}

handler_result area_endpoints::confirm_join(const http::request_header<>& request,
                                            const session::session& user, const runtime& current,
                                            handler_result result) const {
  auto params = parse_query(query_of(request.target()));
  if (!params) return refuse(std::move(result), area_errc::bad_form);
  const std::string product = field_of(*params, "product");
  result.notes.product = product;
  if (auto changes = check_join_request(user, *current.directory, *current.config, product, {});
      !changes) {
    return refuse(std::move(result), static_cast<area_errc>(changes.error().value()));
  }
  const area_view view = build_area_view(user, *current.directory, *current.config);
  confirm_view page;
  page.action = confirmed_action::join;
  page.product_id = product;
  for (const auto& card : view.available) {
    if (card.id != product) continue;
    page.product_title =
        result.notes.lang == language::en && !card.title_en.empty() ? card.title_en : card.title;
  }
  std::string body =
      page_renderer::for_this_thread(page_context_of(result.notes, current)).confirm(view, page);
  return this->page(std::move(result), std::move(body));
}

awaitable<handler_result> area_endpoints::add_member(const std::map<std::string, std::string>& form,
                                                     const session::session& user,
                                                     const runtime& current,
                                                     handler_result result) {
  users_page_state state;
  state.form = {field_of(form, "fiscal_number"), field_of(form, "name"),
                field_of(form, "family_name"),   field_of(form, "email"),
                field_of(form, "product"),       field_of(form, "role")};
  result.notes.product = state.form.product;
  auto changes =
      check_add_member(user, *current.directory, *current.config, state.form, state.problems);
  if (!changes && !state.problems.empty()) {
    // The form again, as typed, with what to fix next to each field.
    result.notes.reason = "bad_form";
    const area_view view = build_area_view(user, *current.directory, *current.config);
    const users_view users = build_users_view(user, *current.directory, *current.config);
    std::string body = page_renderer::for_this_thread(page_context_of(result.notes, current))
                           .users(view, users, state);
    co_return page(std::move(result), std::move(body), http::status::unprocessable_entity);
  }
  if (!changes)
    co_return refuse(std::move(result), static_cast<area_errc>(changes.error().value()));
  co_return co_await apply_changes(std::move(*changes), std::move(result),
                                   "/area/users?done=added");
}

awaitable<handler_result> area_endpoints::change_member(
    const std::map<std::string, std::string>& form, const session::session& user,
    const runtime& current, handler_result result) {
  member_action action{};
  if (!parse_member_action(field_of(form, "action"), action))
    co_return refuse(std::move(result), area_errc::bad_form);
  const std::string product = field_of(form, "product");
  result.notes.product = product;
  auto changes = check_member_action(user, *current.directory, *current.config,
                                     field_of(form, "user"), product, action);
  if (!changes)
    co_return refuse(std::move(result), static_cast<area_errc>(changes.error().value()));
  const std::string_view location = action == member_action::suspend ? "/area/users?done=suspended"
                                    : action == member_action::reactivate
                                        ? "/area/users?done=reactivated"
                                        : "/area/users?done=removed";
  co_return co_await apply_changes(std::move(*changes), std::move(result), location);
}

awaitable<handler_result> area_endpoints::join_product(
    const std::map<std::string, std::string>& form, const session::session& user,
    const runtime& current, handler_result result) {
  const std::string product = field_of(form, "product");
  result.notes.product = product;
  auto changes =
      check_join_request(user, *current.directory, *current.config, product, utc_now_iso());
  if (!changes)
    co_return refuse(std::move(result), static_cast<area_errc>(changes.error().value()));
  co_return co_await apply_changes(std::move(*changes), std::move(result),
                                   "/area?done=join_requested");
}

awaitable<handler_result> area_endpoints::apply_changes(
    std::vector<directory::directory_change> changes, handler_result result,
    std::string_view location) {
  directory::directory_store* store = services_.directory.store();
  if (store == nullptr) co_return refuse(std::move(result), area_errc::directory_read_only);
  auto written = co_await store->apply(std::move(changes));
  if (!written) co_return error(std::move(result), 503, "store_unavailable");
  // Written: the change is durable whatever the reload does; a failed reload only delays it.
  co_await services_.directory.reload();
  co_return redirect(std::move(result), http::status::see_other, location);
}

}  // namespace varco::gateway
