// The Assistenza form: what a signed-in user posts to /area/support, and its validation.
//
// Pure functions over the posted fields, the support settings and the party's products: no I/O;
// thread-safe. Validation reports every field's problem at once (the page shows them together)
// in Italian, the language of the page.
#pragma once

#include "conf/config.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace varco::gateway {

// The fields as posted (email and subject trimmed of surrounding white space; the message kept
// as typed, with CRLF folded to LF).
struct support_request {
  std::string email;
  std::string subject;
  std::string message;
  std::string product;  // "" = no product chosen
};

// One message per invalid field; empty when the field is fine.
struct support_field_errors {
  std::string email;
  std::string subject;
  std::string message;
  std::string product;

  bool any() const {
    return !email.empty() || !subject.empty() || !message.empty() || !product.empty();
  }
};

support_request support_request_from(const std::map<std::string, std::string>& form);

// `party_products`: ids of the products the user may choose (the selected party's active ones).
support_field_errors validate_support_request(const support_request& request,
                                              const conf::support& settings,
                                              std::span<const std::string> party_products);

// The shape browsers check for <input type="email"> (WHATWG), plus the RFC 5321 length limits:
// local part ≤ 64, whole address ≤ 254, a dot in the domain.
bool is_email_shape(std::string_view text);

// A textarea's text with its CR LF line breaks as LF (browsers send CR LF; the form keeps LF).
std::string without_cr(std::string_view text);

// Code points in valid UTF-8; nullopt when `text` is not valid UTF-8 (overlong, surrogate, cut).
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace varco::gateway
