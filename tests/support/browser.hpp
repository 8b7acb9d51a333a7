// A scripted browser for tests of the login flow across processes (varco and the IdP, both on
// 127.0.0.1): a cookie jar shared by every port of the host, as browsers do, absolute-URL
// requests, redirects followed on demand, and the HTML forms of SAML POST bindings read back.
//
// Not thread-safe; one per test. Network errors throw (boost::system::system_error).
#pragma once

#include "tests/support/http_client.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace varco::test {

struct html_form {
  std::string id;
  std::string method;                                       // lower case, "get" when absent
  std::string action;                                       // as written (entities decoded)
  std::vector<std::pair<std::string, std::string>> fields;  // input name → value, in order
  // Every radio button and checkbox, checked or not (name → value), as the user could pick.
  std::vector<std::pair<std::string, std::string>> choices;
  std::string field(const std::string& name) const;  // "" when absent
  bool offers(const std::string& name, const std::string& value) const;
  // Picks the radio `name` = `value` as a user would: replaces that field's value, or adds it.
  void choose(const std::string& name, const std::string& value);
};

// The form with id `form_id` when it offers radio `name` = `value`, with that option chosen;
// empty action when no such form is on the page.
html_form form_choosing(const std::string& html, const std::string& form_id,
                        const std::string& name, const std::string& value);

// Every <form> of a page, with its <input> (and <select>'s first or selected <option>) values.
std::vector<html_form> parse_forms(const std::string& html);
std::string html_unescape(std::string_view text);
// application/x-www-form-urlencoded, as a browser encodes a form.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

struct parsed_url {
  std::uint16_t port = 0;
  std::string target;  // path and query
};
// http://127.0.0.1:PORT/path?query (loopback only); relative targets use `base_port`.
parsed_url parse_url(const std::string& url, std::uint16_t base_port);

class browser {
 public:
  // One request with the jar's cookies; Set-Cookie answers update the jar. Redirects are not
  // followed (call follow()).
  http_response get(const std::string& url, std::uint16_t base_port = 0,
                    const header_list& extra = {});
  http_response post_form(const std::string& url,
                          const std::vector<std::pair<std::string, std::string>>& fields,
                          std::uint16_t base_port = 0, const header_list& extra = {});
  // Submits a parsed form (POST or GET) as a browser would.
  http_response submit(const html_form& form, std::uint16_t base_port);
  // Follows Location headers (3xx) up to `max` times from `response`; the last response.
  http_response follow(http_response response, std::uint16_t base_port, int max = 10);

  std::optional<std::string> cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value) { jar_[name] = value; }
  void forget_cookie(const std::string& name) { jar_.erase(name); }

  // Where the last request went (for relative Location headers).
  std::uint16_t last_port() const { return last_port_; }

 private:
  http_response send(boost::beast::http::verb method, const std::string& url,
                     std::uint16_t base_port, const header_list& extra, const std::string& body);
  void remember(const http_response& response);

  std::map<std::string, std::string> jar_;
  std::uint16_t last_port_ = 0;
};

}  // namespace varco::test
