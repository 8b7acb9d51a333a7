// The largest request body varco's own endpoints read (the caps of reserved_routes.hpp).
//
// The connection applies the request's cap before any handler runs (request_handler::decide()): a
// declared Content-Length over it is refused with 413 before a byte of the body is read, and a
// chunked body is cut at it. The generic server.limits.body_bytes applies to proxied product
// traffic only; varco's own paths read at most their route's cap, and those that take no form
// (every GET page, /static, /healthz, ...) read no body at all.
#pragma once

#include <cstddef>

namespace varco::gateway {

// A SAML message posted by the IdP (HTTP-POST binding): 64 KiB of XML is ~88 KiB in base64 and up
// to three times that percent-encoded.
inline constexpr std::size_t saml_form_bytes = 320 * 1024;
// varco's own short forms (logout, environment, party, users, join): a few fields and a CSRF token.
inline constexpr std::size_t short_form_bytes = 8 * 1024;
// An OpenID Connect back-channel logout: one logout_token (a signed JWT) in a form.
inline constexpr std::size_t logout_token_form_bytes = 32 * 1024;
// Assistenza: a urlencoded 5,000-character message of accented letters, with the other fields.
inline constexpr std::size_t support_form_bytes = 64 * 1024;

}  // namespace varco::gateway
