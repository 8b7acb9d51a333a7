#include "gateway/http/return_path.hpp"

#include "base/hex.hpp"

#include <algorithm>

namespace varco::gateway {
namespace {

// Raw and percent-encoded characters a browser might reinterpret: controls (tab and newline are
// stripped by URL parsers, so "/\t/evil" becomes "//evil"), space, backslash (treated as '/').
bool dangerous(unsigned char c) { return c < 0x21 || c == 0x7f || c == '\\'; }

// Lead bytes of overlong UTF-8 ("%C0%AF" is '/' to a lax decoder); never valid UTF-8.
bool overlong_lead(unsigned char c) { return c == 0xc0 || c == 0xc1; }

// The path's segments, decoded just enough to spot "." and ".." ("%2e" too): a dot segment is what
// turns "/.//evil.example" into "//evil.example" once a client removes it (RFC 3986 5.2.4), which
// a portal that stores the resolved path and sends it back as a Location makes a network-path
// reference. No legitimate return target needs one.
bool has_dot_segment(std::string_view path) {
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    std::size_t dots = 0;
    while (!segment.empty()) {
      if (segment.front() == '.') {
        segment.remove_prefix(1);
      } else if (segment.size() >= 3 && segment[0] == '%' && segment[1] == '2' &&
                 (segment[2] == 'e' || segment[2] == 'E')) {
        segment.remove_prefix(3);
      } else {
        break;
      }
      ++dots;
    }
    if (segment.empty() && (dots == 1 || dots == 2)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::optional<std::string> safe_return_path(std::string_view candidate,
                                            const std::vector<std::string>& allowed_prefixes) {
  if (candidate.empty() || candidate.size() > 2048 || candidate[0] != '/') return std::nullopt;
  if (candidate.size() > 1 && (candidate[1] == '/' || candidate[1] == '\\')) return std::nullopt;
  for (std::size_t i = 0; i < candidate.size(); ++i) {
    const auto c = static_cast<unsigned char>(candidate[i]);
    // A Location is a URI reference: ASCII only (RFC 3986 2). Raw non-ASCII is left to each
    // client's decoding, and one that normalises compatibility characters reads U+FF0F as '/'.
    if (dangerous(c) || c >= 0x80) return std::nullopt;
    if (c == '%') {
      if (i + 2 >= candidate.size()) return std::nullopt;
      const int hi = base::hex_digit_value(candidate[i + 1]);
      const int lo = base::hex_digit_value(candidate[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
      // An encoded '/' right after the leading one would decode to "//host" in some stacks.
      // An encoded space is an ordinary path character; encoded controls and '\' are not.
      if ((decoded != ' ' && dangerous(decoded)) || (i == 1 && decoded == '/')) return std::nullopt;
      if (overlong_lead(decoded)) return std::nullopt;
    }
  }
  const std::string_view path = candidate.substr(0, candidate.find_first_of("?#"));
  if (has_dot_segment(path)) return std::nullopt;
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
