#include "gateway/portal/legal_endpoints.hpp"

#include "gateway/http/security_headers.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/portal/area_endpoints.hpp"
#include "gateway/portal/legal_text.hpp"
#include "gateway/portal/page_renderer.hpp"
#include "gateway/worker.hpp"

#include <optional>

namespace varco::gateway {
namespace {

struct legal_names {
  std::string_view title_it, title_en;
};

}  // namespace

awaitable<handler_result> legal_endpoints::handle(const http::request_header<>& request,
                                                  const runtime& current,
                                                  handler_result result) const {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto refused = error(std::move(result), 405, "method_not_allowed");
    refused.response->set(http::field::allow, "GET, HEAD");
    co_return refused;
  }
  const bool terms = result.notes.path == "/terms";
  const conf::legal_text& source =
      terms ? current.config->portal.terms : current.config->portal.privacy;
  if (source.text.empty()) co_return error(std::move(result), 404, "legal_text_not_configured");
  const legal_names names =
      terms ? legal_names{"Termini e condizioni d'uso", "Terms and conditions of use"}
            : legal_names{"Informativa Privacy", "Privacy notice"};

  // Public pages, but a signed-in user stays in the Area Riservata's frame.
  bool store_failed = false;
  const auto user = co_await signed_in_user(owner_, request, current, store_failed);
  std::optional<area_view> view;
  if (user) view = build_area_view(*user, *current.directory, *current.config);

  const bool english = result.notes.lang == language::en;
  legal_view page;
  page.title = std::string(english ? names.title_en : names.title_it);
  page.translated = !english || !source.text_en.empty();
  page.body_html =
      markdown_lite_to_html(english && !source.text_en.empty() ? source.text_en : source.text);
  std::string body = page_renderer::for_this_thread(page_context_of(result.notes, current))
                         .legal(page, view ? &*view : nullptr);

  http::response<http::string_body> response{http::status::ok, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  // The same text for everyone, but the frame shows who is signed in: a shared cache may keep
  // only the anonymous page, for a short time (an edited text shows after a reload).
  response.set(http::field::cache_control, view ? "private, no-store" : "public, max-age=300");
  response.set(http::field::vary, "Cookie");
  add_language_headers(response, result.notes);
  add_security_headers(response, result.notes.tls, current.config->server.plain_http);
  response.set("X-Request-Id", result.notes.request_id);
  response.body() = std::move(body);
  response.prepare_payload();
  // HEAD: the same head, no body (Content-Length stays the GET's).
  if (request.method() == http::verb::head) response.body().clear();
  result.response = std::move(response);
  co_return result;
}

handler_result legal_endpoints::error(handler_result result, unsigned status,
                                      std::string_view reason) const {
  return error_page(owner_, std::move(result), status, reason);
}

}  // namespace varco::gateway
