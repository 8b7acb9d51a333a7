// base64 (RFC 4648 §4, padded: SAML bindings, XML Signature) and base64url (RFC 4648 §5, without
// padding: JWS, JWK, session ids). Pure and thread-safe.
#pragma once

#include <boost/system/result.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace varco::base {

// One line, padded.
std::string base64_encode(std::string_view bytes);
// No padding.
std::string base64url_encode(std::string_view bytes);

struct base64_error {
  enum class kind {
    not_base64,             // a character outside the alphabet, or data after '='
    bad_length_or_padding,  // not a whole number of quads, or more than two '='
    too_large,              // would decode to more than the caller's maximum
    padding_bits_set,       // two encodings would decode the same
  };
  kind what = kind::not_base64;
  std::size_t decoded_size = 0;  // with too_large: the size the text decodes to
};

// Spaces, tabs and line breaks are skipped (POST bindings and metadata wrap lines); anything else
// that is not strict padded base64 is refused. More than `max_decoded` bytes of output is
// too_large, found before anything is decoded.
boost::system::result<std::string, base64_error> base64_decode(std::string_view text,
                                                               std::size_t max_decoded);

// nullopt on a character outside the alphabet or an impossible length; trailing padding is
// accepted, not required.
std::optional<std::string> base64url_decode(std::string_view text);

namespace detail {
extern const std::array<std::int8_t, 256> base64url_values;  // -1 outside the alphabet
}  // namespace detail

// The position of `c` in the base64url alphabet (0..63), -1 outside it: an inline table look-up,
// for shape checks on every request.
inline int base64url_value(char c) noexcept {
  return detail::base64url_values[static_cast<unsigned char>(c)];
}

}  // namespace varco::base
