// base64url without padding (RFC 4648 §5), as JWS and JWK use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace varco::policies {

std::string base64url_encode(std::string_view bytes);
// nullopt on a character outside the alphabet or an impossible length; padding is accepted.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace varco::policies
