#include "base/percent_decoding.hpp"

#include "base/hex.hpp"

namespace varco::base {

std::optional<std::string> percent_decode(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (std::size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const bool complete = i + 2 < component.size();
      const int high = complete ? hex_digit_value(component[i + 1]) : -1;
      const int low = complete ? hex_digit_value(component[i + 2]) : -1;
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace varco::base
