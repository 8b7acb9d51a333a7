// The response headers every page varco renders itself carries (login pages, redirects, static
// files, error pages) — never proxied product responses, whose headers belong to the product.
#pragma once

#include <boost/beast/http/message.hpp>

namespace varco::gateway {

// Sets Content-Security-Policy, X-Frame-Options, Referrer-Policy and X-Content-Type-Options, and
// Strict-Transport-Security when the request came over TLS (`tls`: the client's connection, not
// a forwarded scheme). `plain_http` (server.plain_http, local use) also lets forms post to an
// http://127.0.0.1 IdP, as the demo's does.
void add_security_headers(boost::beast::http::response_header<>& response, bool tls,
                          bool plain_http);

}  // namespace varco::gateway
