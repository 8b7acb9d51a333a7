#include "gateway/pages/page_answers.hpp"

#include "gateway/http/error_page.hpp"
#include "gateway/http/security_headers.hpp"
#include "gateway/pages/page_language.hpp"
#include "policies/decision.hpp"

namespace varco::gateway {
namespace {

struct in_both {
  const char* it;
  const char* en;
};

// A refusal of the request's form (as 400) with its own status, title and detail.
error_info client_error(std::string_view reason, unsigned status, in_both title, in_both detail) {
  error_info info = bad_request_error(reason);
  info.status = status;
  info.title_it = title.it;
  info.title_en = title.en;
  info.detail_it = detail.it;
  info.detail_en = detail.en;
  return info;
}

error_info error_for(unsigned status, std::string_view reason, const exchange_notes& notes) {
  switch (status) {
    case 400:
      return bad_request_error(reason);
    case 401:
      return login_required_error();
    case 403:
      return forbidden_error(reason, policies::describe(reason, "it"),
                             policies::describe(reason, "en"));
    case 404:
      return no_route_error();
    case 408:
      return client_error(reason, 408, {"Tempo scaduto", "Request timeout"},
                          {"La richiesta non è arrivata completa in tempo.",
                           "The request did not arrive in time."});
    case 409:
      return environment_not_chosen_error(notes.product);
    case 413:
      return payload_too_large_error();
    case 414:
      return client_error(reason, 414, {"Indirizzo troppo lungo", "URI too long"},
                          {"L'indirizzo richiesto supera la lunghezza massima consentita.",
                           "The requested address exceeds the maximum allowed length."});
    case 431:
      return header_too_large_error();
    case 501:
      return client_error(
          reason, 501, {"Codifica non supportata", "Transfer coding not supported"},
          {"Il corpo della richiesta usa una codifica di trasferimento diversa da chunked.",
           "The request body uses a transfer coding other than chunked."});
    case 502:
      return upstream_unavailable_error(notes.product, notes.environment);
    case 503:
      return store_unavailable_error();
    case 504:
      return upstream_timeout_error(notes.product, notes.environment);
    default: {
      error_info info = bad_request_error(reason);
      info.status = status;
      return info;
    }
  }
}

}  // namespace

http::response<http::string_body> error_response(const runtime& current, unsigned status,
                                                 std::string_view reason,
                                                 const exchange_notes& notes, bool json,
                                                 const std::string& request_id,
                                                 const area_view* user) {
  error_info info = error_for(status, reason, notes);
  info.status = status;
  info.reason_code = std::string(reason);
  info.request_id = request_id;
  // JSON names the product and environment by id (for programs), the page by title and label.
  info.product =
      json || notes.product_title.empty() ? notes.product : std::string(notes.product_title);
  info.environment = json || notes.environment_label.empty() ? notes.environment
                                                             : std::string(notes.environment_label);
  http::response<http::string_body> response{static_cast<http::status>(status), 11};
  response.set(http::field::content_type, json ? "application/json" : "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  add_security_headers(response, notes.tls, current.config->server.plain_http);
  response.set("X-Request-Id", request_id);
  if (json) {
    response.body() = render_json(info);
  } else {
    response.set(http::field::content_language, code_of(notes.lang));
    error_view view{info.status,   info.reason_code, info.title_it,
                    info.title_en, info.detail_it,   info.detail_en,
                    info.product,  info.environment, info.request_id};
    response.body() =
        page_renderer::for_this_thread(page_context_of(notes, current)).error(view, user);
  }
  response.prepare_payload();
  return response;
}

void add_language_headers(http::response<http::string_body>& response,
                          const exchange_notes& notes) {
  response.set(http::field::content_language, code_of(notes.lang));
  if (!notes.language_chosen) return;
  std::string cookie = std::string(language_cookie_name) + "=" + std::string(code_of(notes.lang)) +
                       "; Path=/; Max-Age=31536000; SameSite=Lax";
  if (notes.tls) cookie += "; Secure";
  response.set(http::field::set_cookie, cookie);
}

handler_result html_page(handler_result result, http::status status, std::string body,
                         bool plain_http) {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  add_language_headers(response, result.notes);
  add_security_headers(response, result.notes.tls, plain_http);
  response.set("X-Request-Id", result.notes.request_id);
  response.body() = std::move(body);
  response.prepare_payload();
  result.response = std::move(response);
  return result;
}

handler_result error_page(const runtime& current, handler_result result, unsigned status,
                          std::string_view reason, const area_view* user) {
  result.notes.reason = reason;
  result.response = error_response(current, status, reason, result.notes, result.notes.json,
                                   result.notes.request_id, user);
  return result;
}

page_context page_context_of(const exchange_notes& notes, const runtime& current) {
  return make_page_context(notes.lang, notes.page_target.empty() ? notes.path : notes.page_target,
                           *current.config);
}

}  // namespace varco::gateway
