// The pages (HTML) and bodies (JSON) varco answers with when it refuses or fails a request.
//
// The texts of each error in Italian and English; the HTML page is rendered in the page's language
// by gateway/pages/page_renderer.hpp (error()), the JSON body here. No stack traces. Pure
// functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

struct error_info {
  unsigned status = 500;
  std::string reason_code;  // stable, machine-readable: "upstream_timeout"
  std::string title_it, title_en;
  std::string detail_it, detail_en;
  std::string product;      // product title or id, empty when not known
  std::string environment;  // environment label or id, empty when not known
  std::string request_id;   // filled in by the caller
};

// {"status":…, "error": reason_code, "message": detail_en, "messaggio": detail_it,
//  "product":…, "environment":…, "request_id":…} (empty strings become null).
std::string render_json(const error_info& info);

// Whether to answer with JSON rather than HTML, from the Accept header value. The rule:
//  - if the client accepts HTML explicitly (text/html or application/xhtml+xml with q > 0), JSON
//    only when application/json (or a +json type) has a strictly higher q — browsers always list
//    text/html for navigations, and a tie goes to the human-readable page;
//  - otherwise JSON: API clients send application/json, "*/*" (curl) or nothing at all.
bool wants_json(std::string_view accept_header) noexcept;

// Canned errors. The caller sets request_id (and may override anything else).
error_info bad_request_error(std::string_view reason_code = "bad_request");
error_info login_required_error();
// `reason_it`/`reason_en`: the policy's sentence, e.g. "Il ruolo Operatore non può …".
error_info forbidden_error(std::string_view reason_code, std::string_view reason_it,
                           std::string_view reason_en);
error_info no_route_error();
error_info environment_not_chosen_error(std::string_view product);
error_info payload_too_large_error();
error_info header_too_large_error();
error_info upstream_unavailable_error(std::string_view product, std::string_view environment);
error_info store_unavailable_error();
error_info upstream_timeout_error(std::string_view product, std::string_view environment);

}  // namespace varco::gateway
