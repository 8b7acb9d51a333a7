// HTML text escaping for every page varco renders itself. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace varco::base {

// Escapes & < > " ' so the result is safe in element text and in double- or single-quoted
// attribute values.
std::string escape_html(std::string_view text);

}  // namespace varco::base
