// HTML text escaping for the pages the gateway renders itself. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

// Escapes & < > " ' so the result is safe in element text and in quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace varco::gateway
