#include "gateway/http/form_body.hpp"

#include "base/percent_decoding.hpp"

namespace varco::gateway {

std::optional<std::map<std::string, std::string>> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = base::percent_decode(pair.substr(0, eq));
    auto value = base::percent_decode(eq == std::string_view::npos ? std::string_view{}
                                                                   : pair.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    if (!fields.emplace(std::move(*name), std::move(*value)).second) return std::nullopt;
  }
  return fields;
}

}  // namespace varco::gateway
