// Small helpers the Area Riservata's endpoint files share for reading query strings and forms.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace varco::gateway {

// The query string of a request target ("" when there is none).
inline std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

// A decoded form or query field; "" when absent.
inline std::string field_of(const std::map<std::string, std::string>& form,
                            const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

}  // namespace varco::gateway
