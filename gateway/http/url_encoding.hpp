// Small string helpers for building redirect locations.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

// Percent-encodes everything but RFC 3986 unreserved characters (for query parameter values).
std::string percent_encode(std::string_view text);

void replace_all(std::string& text, std::string_view from, std::string_view to);

}  // namespace varco::gateway
