// The languages of varco's own pages: Italian first (the pages are written in it), English.
#pragma once

#include <optional>
#include <string_view>

namespace varco::gateway {

enum class language { it, en };

inline std::string_view code_of(language l) { return l == language::en ? "en" : "it"; }

// "it" or "en" (exactly); anything else is nullopt.
inline std::optional<language> parse_language(std::string_view code) {
  if (code == "it") return language::it;
  if (code == "en") return language::en;
  return std::nullopt;
}

}  // namespace varco::gateway
