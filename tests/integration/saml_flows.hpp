// What the SAML login and logout tests share: the session cookie's name, the SLO index as Redis
// holds it (read directly rather than through varco), the Esci form's token, the IdP's
// LogoutResponse taken back to varco, and the IdP's auto-post form of a Response.
#pragma once

#include "tests/integration/redis_client.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/idp_login.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace varco::integration {

inline const std::string session_cookie = "varco_session";

// Every SLO index set of the stack's varco (`<prefix>slo:*`) with its members (session keys).
inline std::map<std::string, std::set<std::string>> slo_indexes(const saml_stack& stack) {
  redis_client redis(stack.redis_port);
  std::map<std::string, std::set<std::string>> indexes;
  std::string cursor = "0";
  do {
    auto page = redis.checked_command(
        {"SCAN", cursor, "MATCH", stack.redis_key_prefix + "slo:*", "COUNT", "1000"});
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2)
      throw std::runtime_error("unexpected SCAN reply");
    cursor.assign(page->element[0]->str, page->element[0]->len);
    const redisReply* keys = page->element[1];
    for (std::size_t i = 0; i < keys->elements; ++i)
      indexes[std::string(keys->element[i]->str, keys->element[i]->len)];
  } while (cursor != "0");
  for (auto& [key, members] : indexes) {
    auto reply = redis.checked_command({"SMEMBERS", key});
    for (std::size_t i = 0; i < reply->elements; ++i)
      members.emplace(reply->element[i]->str, reply->element[i]->len);
  }
  return indexes;
}

// The Esci form's CSRF token, from the Area Riservata.
inline std::string logout_csrf(saml_stack& stack, test::browser& b) {
  std::string csrf;
  for (const auto& f : parse_forms(b.get(stack.url("/area")).body)) {
    if (f.action == "/logout") csrf = f.field("csrf");
  }
  if (csrf.empty()) throw std::runtime_error("no logout form on /area");
  return csrf;
}

// After POST /logout sent the browser to the IdP: the IdP's LogoutResponse (Redirect or POST)
// taken back to /saml/slo. Returns varco's answer.
inline http_response finish_logout_at_idp(saml_stack& stack, test::browser& b,
                                          const http_response& to_idp) {
  auto idp_answer = b.get(to_idp.header("Location"));
  if (idp_answer.status == 302) return b.get(idp_answer.header("Location"));
  auto forms = parse_forms(idp_answer.body);
  if (forms.empty()) throw std::runtime_error("no LogoutResponse form:\n" + idp_answer.body);
  return b.submit(forms.front(), stack.idp->port());
}

// The IdP answer's auto-post form; a failure of the test (and an empty form) when it has none.
inline html_form response_form_of(const http_response& page) {
  if (auto form = saml_response_form(page)) return *form;
  ADD_FAILURE() << "no auto-post form in the IdP answer:\n" << page.body;
  return {};
}

}  // namespace varco::integration
