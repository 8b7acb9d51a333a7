#include "base/percent_decoding.hpp"

#include "base/hex.hpp"

namespace varco::base {

// Written through a pointer into the sized result: a form carrying a SAMLResponse is kilobytes,
// and push_back's capacity check on every byte cost about three times this loop.
std::optional<std::string> percent_decode(std::string_view component) {
  std::string out(component.size(), '\0');
  char* write = out.data();
  for (std::size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '%') {
      const bool complete = i + 2 < component.size();
      const int high = complete ? hex_digit_value(component[i + 1]) : -1;
      const int low = complete ? hex_digit_value(component[i + 2]) : -1;
      if (high < 0 || low < 0) return std::nullopt;
      *write++ = static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      *write++ = c == '+' ? ' ' : c;
    }
  }
  out.resize(static_cast<std::size_t>(write - out.data()));
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
  return out;
}

}  // namespace varco::base
