#include "gateway/portal/legal_endpoints.hpp"

#include "gateway/endpoint/signed_in_user.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/pages/legal_text.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/pages/page_renderer.hpp"

#include <optional>

namespace varco::gateway {
namespace {

struct legal_names {
  std::string_view title_it, title_en;
};

}  // namespace

awaitable<handler_result> legal_endpoints::handle(reserved_endpoint endpoint,
                                                  const http::request_header<>& request,
                                                  const runtime& current,
                                                  handler_result result) const {
  const bool terms = endpoint == reserved_endpoint::terms;
  const conf::legal_text& source =
      terms ? current.config->portal.terms : current.config->portal.privacy;
  if (source.text.empty())
    co_return error_page(current, std::move(result), 404, "legal_text_not_configured");
  const legal_names names =
      terms ? legal_names{"Termini e condizioni d'uso", "Terms and conditions of use"}
            : legal_names{"Informativa Privacy", "Privacy notice"};

  // Public pages, but a signed-in user stays in the Area Riservata's frame.
  const auto user = (co_await find_signed_in_user(sessions_, request, current)).user;
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

}  // namespace varco::gateway
