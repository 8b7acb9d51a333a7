// The notice (Self Care's toast) a page shows once an action is done, and the page a form's
// answer belongs to. Every Area form answers 303 to a page (Post/Redirect/Get) whose query says
// what was done (?done=suspended); the code names one of varco's fixed texts, never echoed
// input, so a reload, the back button or the language switch show the same page and notice and
// never repeat the action. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

// The Italian text of a done code ("suspended" → "Utente sospeso: …"); empty for an unknown
// code. A text may hold {party}, which the page fills with the selected party's name.
std::string_view notice_for(std::string_view done);

// The notice of a page answering `target` (path and query), with where its close link leads:
// the same page without ?done=.
struct page_notice {
  std::string text;  // Italian; empty: no notice
  std::string close_url;
};
page_notice notice_of(std::string_view target);

// `target` without the query parameter `name` (every occurrence), the others kept in order.
std::string without_parameter(std::string_view target, std::string_view name);

// The page an answer to a request belongs to, where its language switch leads: the request's own
// target for GET and HEAD; for a form's POST, the page that form is on (a POST target is no page
// to come back to: fetched by the switch, it would answer 405).
std::string page_of_request(bool get_or_head, std::string_view target);

}  // namespace varco::gateway
