// Which language a page of varco's own is answered in: ?lang=it|en wins (and the answer remembers
// it in the varco_lang cookie), else that cookie, else Italian. The service is Italian first, so
// the browser's Accept-Language does not decide. Pure; thread-safe.
#pragma once

#include "gateway/pages/translations.hpp"

#include <span>
#include <string_view>

namespace varco::gateway {

struct language_choice {
  language lang = language::it;
  bool from_query = false;  // ?lang= named it: the answer sets the cookie
};

// `target` is the request target (path and query); `cookie_headers` the values of its Cookie
// fields. A malformed query or an unknown code is ignored, never an error.
language_choice choose_language(std::string_view target,
                                std::span<const std::string_view> cookie_headers);

}  // namespace varco::gateway
