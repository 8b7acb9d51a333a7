#include "gateway/http/security_headers.hpp"

#include <boost/beast/http/field.hpp>

namespace varco::gateway {
namespace {

// Everything comes from varco itself: no inline script or style, no framing, no <base>. Fonts may
// also be data: URLs, as Bootstrap Italia's stylesheet embeds one (a font is no script or style).
// form-action must allow the IdPs, because the SAML POST binding's auto-submitted form posts to
// the IdP's origin (any https origin: IdPs come from metadata and change). img-src allows https:
// for the IdP logos that SPID metadata and the display overrides name by URL.
constexpr const char* policy_tls_only =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self' https:";
// server.plain_http (local use): the demo and test IdPs listen on http://127.0.0.1.
constexpr const char* policy_plain_http =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self' https: http://127.0.0.1:*";

}  // namespace

void add_security_headers(boost::beast::http::response_header<>& response, bool tls,
                          bool plain_http) {
  response.set("Content-Security-Policy", plain_http ? policy_plain_http : policy_tls_only);
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Content-Type-Options", "nosniff");
  if (tls) response.set(boost::beast::http::field::strict_transport_security, "max-age=31536000");
}

}  // namespace varco::gateway
