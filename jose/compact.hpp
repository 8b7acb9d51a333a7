// The JWS and JWE compact serializations (RFC 7515 §7.1, RFC 7516 §7.1), read strictly: the size
// limit is checked before anything is decoded, every part is canonical unpadded base64url, the
// protected header is one JSON object of bounded size and depth.
#pragma once

#include "jose/errors.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace varco::jose {

struct limits {
  std::size_t max_token = 64 * 1024;  // a whole compact token, checked first
  std::size_t max_header = 4 * 1024;  // the decoded protected header
};

struct jws_parts {
  boost::json::object header;
  std::string_view signing_input;  // "header.payload", into the token
  std::string payload;
  std::string signature;
};

struct jwe_parts {
  boost::json::object header;
  std::string_view protected_header;  // the encoded header: the AAD, into the token
  std::string encrypted_key;
  std::string iv;
  std::string ciphertext;
  std::string tag;
};

outcome<jws_parts> split_jws(std::string_view token, const limits& lim);
outcome<jwe_parts> split_jwe(std::string_view token, const limits& lim);

// Canonical unpadded base64url: no '=', no character outside the alphabet, no stray bits in the
// last character (so one value has exactly one encoding). bad_encoding otherwise.
outcome<std::string> decode_base64url(std::string_view text);

// A JSON object, at most 32 levels deep; `refusal` names what the text was.
outcome<boost::json::object> parse_object(std::string_view json, reason refusal);

// A header member that must be a string when present: nullopt when absent; header_malformed
// when it is there with another type.
outcome<std::optional<std::string_view>> string_member(const boost::json::object& header,
                                                       std::string_view name);

// "crit" and "zip" are refused wherever they appear: varco understands no extension and never
// inflates (a compression bomb inside an encrypted token).
outcome<void> refuse_extensions(const boost::json::object& header);

}  // namespace varco::jose
