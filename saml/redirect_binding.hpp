// The SAML HTTP-Redirect binding (RULES.md §2; SAML Bindings §3.4): a message travels in the query
// string as SAMLRequest or SAMLResponse = base64(raw DEFLATE(xml)), with RelayState, and is signed
// over the query string itself (SigAlg + Signature), never with an XML signature.
//
// Pure functions, safe from any thread. Nothing here throws on bad input; every decoded size is
// bounded before the memory is spent.
#pragma once

#include "saml/credentials.hpp"
#include "saml/errors.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml {

inline constexpr std::size_t default_max_inflated = 64 * 1024;

// Raw DEFLATE (RFC 1951, no zlib header), then base64 on one line.
std::string deflate_base64(std::string_view xml);
// The inverse. Inflating past `max_inflated` stops at once with message_too_large (a small
// deflate bomb expands a thousandfold); bad base64, a broken or truncated stream, or bytes after
// its end are bad_encoding.
outcome<std::string> inflate_base64(std::string_view base64,
                                    std::size_t max_inflated = default_max_inflated);

// Only A-Z a-z 0-9 _ . - ~ stay literal, space becomes '+', everything else %XX in upper-case hex
// (the encoding SPID requires, so the string we sign is the string we send).
std::string percent_encode(std::string_view text);
// '+' becomes a space; "%" not followed by two hex digits is bad_encoding.
outcome<std::string> percent_decode(std::string_view text);

// "SAMLRequest=...&RelayState=...&SigAlg=...&Signature=..." with `param` "SAMLRequest" or
// "SAMLResponse"; RelayState is omitted when empty. Signed with rsa-sha256 over exactly the bytes
// that are sent. Fails (internal_error) only when OpenSSL cannot sign with a loaded key.
outcome<std::string> make_signed_redirect_query(std::string_view param, std::string_view xml,
                                                std::string_view relay_state,
                                                const signing_credentials& creds);
// The same; a signing failure is a broken invariant (signing_credentials only holds RSA keys
// that match their certificate), so it aborts the process loudly instead of returning.
std::string signed_redirect_query(std::string_view param, std::string_view xml,
                                  std::string_view relay_state, const signing_credentials& creds);

struct redirect_message {
  std::string param;        // "SAMLRequest" or "SAMLResponse"
  std::string xml;          // inflated, not yet parsed
  std::string relay_state;  // decoded; empty when absent
  std::string sig_alg;      // decoded; empty when absent (decode_redirect_query only)
};

// Verifies a received query string (raw, as on the wire, without the leading '?'): the signed
// string is rebuilt from the ORIGINAL encoded values in the order SAMLRequest|SAMLResponse,
// RelayState (when present), SigAlg, as the binding requires, and Signature must verify with one
// of `trusted`. SigAlg allow-list: rsa-sha256/384/512, ecdsa-sha256/384/512. Then the message is
// inflated (bounded) and returned. Reasons: bad_encoding (duplicated or missing parameters, bad
// encodings), redirect_signature_missing (no Signature or no SigAlg), redirect_sigalg_forbidden,
// redirect_signature_invalid, message_too_large. Unknown parameters are ignored.
outcome<redirect_message> verify_redirect_query(std::string_view raw_query,
                                                const std::vector<certificate>& trusted,
                                                std::size_t max_inflated = default_max_inflated);

// Decodes without verifying anything: for a message the caller will refuse anyway (unsigned) and
// for tests. Never trust what it returns.
outcome<redirect_message> decode_redirect_query(std::string_view raw_query,
                                                std::size_t max_inflated = default_max_inflated);

}  // namespace varco::saml
