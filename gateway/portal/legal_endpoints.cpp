#include "gateway/portal/legal_endpoints.hpp"

#include "gateway/login/form_body.hpp"
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/legal_text.hpp"
#include "gateway/portal/security_headers.hpp"
#include "gateway/worker.hpp"

namespace varco::gateway {
namespace {

struct legal_names {
  std::string_view title_it, title_en;
};

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

// Only ?lang=en changes anything; any other query (a tracker's, a malformed one) is the Italian
// page, because a public link must not break on what a mail client appends to it.
bool wants_english(std::string_view query) {
  auto params = parse_query(query);
  if (!params) return false;
  auto it = params->find("lang");
  return it != params->end() && it->second == "en";
}

}  // namespace

handler_result legal_endpoints::handle(const http::request_header<>& request,
                                       const runtime& current, handler_result result) const {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto refused = error(std::move(result), 405, "method_not_allowed");
    refused.response->set(http::field::allow, "GET, HEAD");
    return refused;
  }
  const bool terms = result.notes.path == "/terms";
  const conf::legal_text& source =
      terms ? current.config->portal.terms : current.config->portal.privacy;
  if (source.text.empty()) return error(std::move(result), 404, "legal_text_not_configured");
  const legal_names names =
      terms ? legal_names{"Termini e condizioni d'uso", "Terms and conditions of use"}
            : legal_names{"Informativa Privacy", "Privacy notice"};

  const bool english = !source.text_en.empty() && wants_english(query_of(request.target()));
  legal_page page;
  page.lang = english ? "en" : "it";
  page.title = english ? names.title_en : names.title_it;
  page.body_html = markdown_lite_to_html(english ? source.text_en : source.text);
  if (!source.text_en.empty()) {
    page.other_language_url = english ? result.notes.path : result.notes.path + "?lang=en";
    page.other_language = english ? "it" : "en";
    page.other_language_label = english ? "Versione italiana" : "English version";
  }

  http::response<http::string_body> response{http::status::ok, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  // Public and the same for everyone, but short-lived: an edited text shows after a reload.
  response.set(http::field::cache_control, "public, max-age=300");
  add_security_headers(response, result.notes.tls, current.config->server.plain_http);
  response.set("X-Request-Id", result.notes.request_id);
  response.body() = render_legal_page(page);
  response.prepare_payload();
  // HEAD: the same head, no body (Content-Length stays the GET's).
  if (request.method() == http::verb::head) response.body().clear();
  result.response = std::move(response);
  return result;
}

handler_result legal_endpoints::error(handler_result result, unsigned status,
                                      std::string_view reason) const {
  return error_page(owner_, std::move(result), status, reason);
}

}  // namespace varco::gateway
