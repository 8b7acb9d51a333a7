// Percent-encoding and -decoding of one application/x-www-form-urlencoded component (a form
// field, a query parameter, a SAML Redirect-binding parameter). Decoding: "%XY" is the byte 0xXY
// (either case), '+' is a space, anything else stands for itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace varco::base {

// nullopt for a '%' not followed by two hex digits: a malformed component is refused, never
// guessed at.
std::optional<std::string> percent_decode(std::string_view component);

// Every byte but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) as %XY, upper-case hex:
// safe in a query parameter value and in a form field.
std::string percent_encode(std::string_view text);

}  // namespace varco::base
