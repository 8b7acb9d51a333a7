// The largest request body each of varco's own endpoints reads: one table for every capped route.
//
// The connection applies it before any handler runs (request_handler::decide()): a declared
// Content-Length over the route's cap is refused with 413 before a byte of the body is read, and a
// chunked body is cut at the cap. The generic server.limits.body_bytes applies to proxied product
// traffic only; varco's own paths read at most what this table says, and those that take no form
// (every GET page, /static, /healthz, ...) read no body at all.
#pragma once

#include <cstddef>
#include <string_view>

namespace varco::gateway {

// A SAML message posted by the IdP (HTTP-POST binding): 64 KiB of XML is ~88 KiB in base64 and up
// to three times that percent-encoded.
inline constexpr std::size_t saml_form_bytes = 320 * 1024;
// varco's own short forms (logout, environment, party, users, join): a few fields and a CSRF token.
inline constexpr std::size_t short_form_bytes = 8 * 1024;
// Assistenza: a urlencoded 5,000-character message of accented letters, with the other fields.
inline constexpr std::size_t support_form_bytes = 64 * 1024;

struct capped_route {
  std::string_view path;  // exact normalised path
  std::size_t max_body_bytes;
};

// Every reserved path that accepts a form, with its cap (the tests iterate this same table).
inline constexpr capped_route capped_routes[] = {
    {"/saml/acs", saml_form_bytes},
    {"/saml/slo", saml_form_bytes},
    {"/logout", short_form_bytes},
    {"/area/environment", short_form_bytes},
    {"/area/party", short_form_bytes},
    {"/area/users", short_form_bytes},
    {"/area/users/member", short_form_bytes},
    {"/area/join", short_form_bytes},
    {"/area/support", support_form_bytes},
};

// The body cap of a reserved (varco-served) path: its entry above, else 0 (no body is read).
std::size_t reserved_body_limit(std::string_view normalized_path) noexcept;

}  // namespace varco::gateway
