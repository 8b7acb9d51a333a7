// The answers varco's own pages share: the error page (HTML in the page frame, or JSON), an HTML
// page with its headers, the page frame's context and the language headers.
#pragma once

#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/pages/area_model.hpp"
#include "gateway/pages/page_renderer.hpp"

#include <string>
#include <string_view>

namespace varco::gateway {

// A readable error: HTML (in notes.lang, in varco's page frame; with `user`'s menu and navigation
// when given) or JSON, naming product and environment.
http::response<http::string_body> error_response(const runtime& current, unsigned status,
                                                 std::string_view reason,
                                                 const exchange_notes& notes, bool json,
                                                 const std::string& request_id,
                                                 const area_view* user = nullptr);

// Content-Language of a page, and the varco_lang cookie when ?lang= chose the language.
void add_language_headers(http::response<http::string_body>& response, const exchange_notes& notes);

// The answer of every Area Riservata page (area, support): HTML, no-store, the language and
// security headers, the request id.
handler_result html_page(handler_result result, http::status status, std::string body,
                         bool plain_http);

// error_response() as the answer of `result`, with `reason` noted for the log.
handler_result error_page(const runtime& current, handler_result result, unsigned status,
                          std::string_view reason, const area_view* user = nullptr);

// The frame of the page answering this request: its language and target, the configured brand.
page_context page_context_of(const exchange_notes& notes, const runtime& current);

}  // namespace varco::gateway
