// The Area Riservata's side of form drafts (form_drafts.hpp): a form posted after its session
// ended is answered with the login redirect and, from a same-origin page, a draft of what was
// typed; after the new login the form's page shows that draft once.
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/form_drafts.hpp"
#include "gateway/portal/support_endpoints.hpp"

namespace varco::gateway {

awaitable<handler_result> area_endpoints::no_session_after_post(
    const http::request<http::string_body>& request, const signed_in_user& found,
    const runtime& current, handler_result result) {
  handler_result answered = no_session(request.base(), found, std::move(result));
  // Only a browser on its way to the login keeps a draft: a store failure (503) is not an ended
  // session, and an API client (401) has no page to come back to.
  if (found.store_failed || answered.notes.json || !is_draft_form(answered.notes.path))
    co_return answered;
  auto kept =
      co_await form_drafts(services_.login_state, *current.config).keep(request, answered.notes);
  if (kept.set_cookie) answered.response->insert(http::field::set_cookie, *kept.set_cookie);
  co_return answered;
}

awaitable<handler_result> area_endpoints::draft_form_page(const http::request_header<>& request,
                                                          const session::session& user,
                                                          const runtime& current,
                                                          handler_result result) {
  auto restored = co_await form_drafts(services_.login_state, *current.config)
                      .restore(request, result.notes.path);
  const form_draft* draft = restored.draft ? &*restored.draft : nullptr;
  handler_result answered =
      result.notes.path == "/area/users"
          ? users_page(user, current, std::move(result), draft)
          : support_endpoints(services_).show(request, user, current, std::move(result), draft);
  // Inserted, not set: the page may already set the language cookie.
  if (restored.set_cookie && answered.response)
    answered.response->insert(http::field::set_cookie, *restored.set_cookie);
  co_return answered;
}

}  // namespace varco::gateway
