#include "gateway/login/return_path.hpp"

#include <algorithm>

namespace varco::gateway {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Raw and percent-encoded characters a browser might reinterpret: controls (tab and newline are
// stripped by URL parsers, so "/\t/evil" becomes "//evil"), space, backslash (treated as '/').
bool dangerous(unsigned char c) { return c < 0x21 || c == 0x7f || c == '\\'; }

}  // namespace

std::optional<std::string> safe_return_path(std::string_view candidate,
                                            const std::vector<std::string>& allowed_prefixes) {
  if (candidate.empty() || candidate.size() > 2048 || candidate[0] != '/') return std::nullopt;
  if (candidate.size() > 1 && (candidate[1] == '/' || candidate[1] == '\\')) return std::nullopt;
  for (std::size_t i = 0; i < candidate.size(); ++i) {
    const auto c = static_cast<unsigned char>(candidate[i]);
    if (dangerous(c)) return std::nullopt;
    if (c == '%') {
      if (i + 2 >= candidate.size()) return std::nullopt;
      const int hi = hex_value(candidate[i + 1]);
      const int lo = hex_value(candidate[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
      // An encoded '/' right after the leading one would decode to "//host" in some stacks.
      // An encoded space is an ordinary path character; encoded controls and '\' are not.
      if ((decoded != ' ' && dangerous(decoded)) || (i == 1 && decoded == '/')) return std::nullopt;
    }
  }
  const std::string_view path = candidate.substr(0, candidate.find_first_of("?#"));
  const bool allowed =
      std::any_of(allowed_prefixes.begin(), allowed_prefixes.end(), [&](const std::string& prefix) {
        if (prefix == "/") return true;
        if (!path.starts_with(prefix)) return false;
        return path.size() == prefix.size() || prefix.back() == '/' || path[prefix.size()] == '/';
      });
  if (!allowed) return std::nullopt;
  return std::string(candidate);
}

}  // namespace varco::gateway
