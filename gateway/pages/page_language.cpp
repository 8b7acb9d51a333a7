#include "gateway/pages/page_language.hpp"

#include "gateway/http/cookies.hpp"
#include "gateway/http/form_body.hpp"
#include "gateway/http/gateway_cookies.hpp"

namespace varco::gateway {

language_choice choose_language(std::string_view target,
                                std::span<const std::string_view> cookie_headers) {
  language_choice out;
  const auto question = target.find('?');
  // Most targets name no language: look for "lang=" before parsing the whole query.
  if (question != std::string_view::npos &&
      target.find("lang=", question) != std::string_view::npos) {
    if (auto params = parse_query(target.substr(question + 1))) {
      if (auto it = params->find("lang"); it != params->end()) {
        if (auto chosen = parse_language(it->second)) {
          out.lang = *chosen;
          out.from_query = true;
          return out;
        }
      }
    }
  }
  for (const auto header : cookie_headers) {
    if (auto value = find_cookie(header, language_cookie_name)) {
      if (auto chosen = parse_language(*value)) out.lang = *chosen;
      return out;
    }
  }
  return out;
}

}  // namespace varco::gateway
