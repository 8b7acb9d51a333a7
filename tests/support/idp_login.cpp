#include "tests/support/idp_login.hpp"

#include <stdexcept>

namespace varco::test {

http_response answer_idp_login(browser& b, const http_response& at_idp, const std::string& user,
                               const std::string& answer, const idp_process& idp) {
  const auto forms = parse_forms(at_idp.body);
  const html_form* login_form = nullptr;
  for (const auto& f : forms)
    if (!f.field("key").empty()) login_form = &f;
  if (at_idp.status != 200 || login_form == nullptr) {
    throw std::runtime_error("no IdP login form (" + std::to_string(at_idp.status) + "):\n" +
                             at_idp.body + "\n" + idp.output());
  }
  html_form filled = *login_form;
  filled.fields.clear();
  for (const auto& [name, value] : login_form->fields)
    if (name != "user" && name != "password" && name != "risposta")
      filled.fields.emplace_back(name, value);
  filled.fields.emplace_back("user", user);
  filled.fields.emplace_back("password", "password");
  filled.fields.emplace_back("risposta", answer);
  auto answered = b.submit(filled, b.last_port());
  if (answered.status != 200) {
    throw std::runtime_error("IdP login failed (" + std::to_string(answered.status) + "):\n" +
                             answered.body + "\n" + idp.output());
  }
  return answered;
}

std::optional<html_form> saml_response_form(const http_response& page) {
  for (auto& f : parse_forms(page.body))
    if (f.id == "saml-response-form") return std::move(f);
  return std::nullopt;
}

http_response post_saml_response(browser& b, const http_response& page, const idp_process& idp) {
  const auto form = saml_response_form(page);
  if (!form) throw std::runtime_error("no auto-post form in the IdP answer:\n" + page.body);
  return b.submit(*form, idp.port());
}

}  // namespace varco::test
