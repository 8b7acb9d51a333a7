#include "gateway/http/url_encoding.hpp"

#include "base/percent_decoding.hpp"

namespace varco::gateway {

std::string percent_encode(std::string_view text) { return base::percent_encode(text); }

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace varco::gateway
