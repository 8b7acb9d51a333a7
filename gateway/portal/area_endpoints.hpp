// The Area Riservata's HTTP endpoints (server-rendered pages and their forms):
//   GET  /area                   Panoramica (or the "no institution yet" page, still a 200)
//   GET  /area/environment       "In quale ambiente vuoi entrare?" for ?product=…[&return=…]
//   POST /area/environment       csrf, product, environment, return → stored in the session, 303
//   POST /area/party             csrf, party → the party switched, environment choices dropped, 303
//   GET  /area/users             Utenti (Amministratori only; operators get 403)
//   POST /area/users             csrf + the add form → the user added, 303 (422 with field errors)
//   GET  /area/users/member      ?user=…&product=…&action=… the confirmation page of the action
//   POST /area/users/member      csrf, user, product, action=suspend|reactivate|remove → 303
//   GET  /area/join              ?product=… the confirmation page of Aderisci
//   POST /area/join              csrf, product → a join request ("Richiesta inviata"), 303
// Every POST answers 303 to a page whose ?done= names the notice to show (page_notice.hpp).
//   GET  /area/delegations       "I tuoi enti" of a technology partner, ?q=…&page=N
//   (area_delegations.cpp)
// Without a live session: browsers get 302 to /login (with return= and expired=1 when their
// cookie named a session that has ended), API clients 401 JSON. A browser's Assistenza or
// "Aggiungi un utente" form posted then keeps a draft of what was typed, offered once on the
// form's page after the new login (form_drafts.hpp; area_drafts.cpp).
//
// Reached through the reserved-route table (gateway/routing/reserved_routes.hpp), which checked
// the method and counted the forms' rate limit. Holds references to its services and this
// request's user, so it is made per request; used on the worker's thread.
#pragma once

#include "directory/directory_store.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/endpoint/signed_in_user.hpp"
#include "gateway/pages/area_model.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/pages/page_renderer.hpp"
#include "gateway/portal/area_services.hpp"
#include "gateway/portal/form_draft.hpp"
#include "gateway/routing/reserved_routes.hpp"
#include "session/session.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace varco::gateway {

class area_endpoints {
 public:
  explicit area_endpoints(area_services& services) : services_(services) {}

  // First step, once the reserved-route table has checked the method and the rate limit. A POST
  // gets result.wants_body set (its form comes next, to handle_body).
  awaitable<handler_result> handle(reserved_endpoint endpoint,
                                   const http::request_header<>& request, const runtime& current,
                                   handler_result result);
  awaitable<handler_result> handle_body(reserved_endpoint endpoint,
                                        const http::request<http::string_body>& request,
                                        const runtime& current, handler_result result);

 private:
  awaitable<signed_in_user> current_session(const http::request_header<>& request,
                                            const runtime& current);
  // The answer for a request without a usable session (login redirect, 401 or 503).
  handler_result no_session(const http::request_header<>& request, const signed_in_user& found,
                            handler_result result) const;

  // Drafts of forms posted without a session (area_drafts.cpp): the answer to such a POST, and
  // the form's page with the draft restored.
  awaitable<handler_result> no_session_after_post(const http::request<http::string_body>& request,
                                                  const signed_in_user& found,
                                                  const runtime& current, handler_result result);
  awaitable<handler_result> draft_form_page(const http::request_header<>& request,
                                            const session::session& user, const runtime& current,
                                            handler_result result);

  handler_result overview(const session::session& user, const runtime& current,
                          handler_result result) const;
  handler_result environment_page(const http::request_header<>& request,
                                  const session::session& user, const runtime& current,
                                  handler_result result) const;
  handler_result delegations_page(const http::request_header<>& request,
                                  const session::session& user, const runtime& current,
                                  handler_result result) const;
  awaitable<handler_result> choose_environment(const std::map<std::string, std::string>& form,
                                               const session::session& user, const runtime& current,
                                               handler_result result);
  awaitable<handler_result> switch_party(const std::map<std::string, std::string>& form,
                                         const session::session& user, const runtime& current,
                                         handler_result result);

  // Utenti and Aderisci (area_users.cpp).
  handler_result users_page(const session::session& user, const runtime& current,
                            handler_result result, const form_draft* draft = nullptr) const;
  // The no-script confirmations (GET): the same checks as the action, nothing written.
  handler_result confirm_member_action(const http::request_header<>& request,
                                       const session::session& user, const runtime& current,
                                       handler_result result) const;
  handler_result confirm_join(const http::request_header<>& request, const session::session& user,
                              const runtime& current, handler_result result) const;
  awaitable<handler_result> add_member(const std::map<std::string, std::string>& form,
                                       const session::session& user, const runtime& current,
                                       handler_result result);
  awaitable<handler_result> change_member(const std::map<std::string, std::string>& form,
                                          const session::session& user, const runtime& current,
                                          handler_result result);
  awaitable<handler_result> join_product(const std::map<std::string, std::string>& form,
                                         const session::session& user, const runtime& current,
                                         handler_result result);
  // Writes the changes, reloads the directory on this worker, then 303 to `location`.
  awaitable<handler_result> apply_changes(std::vector<directory::directory_change> changes,
                                          handler_result result, std::string_view location);

  handler_result page(handler_result result, std::string body,
                      http::status status = http::status::ok) const;
  handler_result refuse(handler_result result, area_errc why) const;
  handler_result error(handler_result result, unsigned status, std::string_view reason) const;
  handler_result redirect(handler_result result, http::status status,
                          std::string_view location) const;

  area_services& services_;
  // The signed-in user of this request once looked up: error pages show the user's frame.
  std::shared_ptr<const session::session> user_;
};

}  // namespace varco::gateway
