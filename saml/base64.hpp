// Standard base64 (RFC 4648 alphabet, with padding), as SAML bindings and XML Signature use it.
#pragma once

#include "saml/errors.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace varco::saml {

// One line, padded.
std::string base64_encode(std::string_view bytes);

// Spaces, tabs and line breaks are skipped (POST bindings and metadata wrap lines); any other
// character outside the alphabet, or bad padding, is bad_encoding. More than `max_decoded` bytes
// of output is message_too_large, detected before decoding.
outcome<std::string> base64_decode(std::string_view text, std::size_t max_decoded);

}  // namespace varco::saml
