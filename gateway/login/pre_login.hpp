// The pre-login cookie binds a login round (SAML or OpenID Connect) to the browser that started
// it: the round stores the SHA-256 of a fresh random id, the browser holds the id.
#pragma once

#include "gateway/http/asio_types.hpp"

#include <string_view>

namespace varco::gateway {

// Whether one of the request's `cookie_name` cookies is the id `binding` was made of.
bool from_browser_of(const http::request_header<>& request, std::string_view cookie_name,
                     std::string_view binding);

}  // namespace varco::gateway
