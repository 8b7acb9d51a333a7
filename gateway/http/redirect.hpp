// The redirects varco answers with itself (login, logout, the Area Riservata's POST/redirect/GET,
// a product's login or environment choice): one builder, so every one carries the same headers.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string_view>

namespace varco::gateway {

// `status` (302 or 303) to `location`, empty body, Cache-Control: no-store, the security headers
// (add_security_headers with `tls` and `plain_http`) and X-Request-Id. The caller adds what is
// its own (Set-Cookie).
boost::beast::http::response<boost::beast::http::string_body> redirect_response(
    boost::beast::http::status status, std::string_view location, std::string_view request_id,
    bool tls, bool plain_http);

}  // namespace varco::gateway
