#include "gateway/http/path_normalizer.hpp"

#include "base/hex.hpp"

#include <array>
#include <vector>

namespace varco::gateway {

namespace {

class path_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.path"; }
  std::string message(int ev) const override {
    return std::string(reason_code(static_cast<path_errc>(ev)));
  }
};

constexpr char hex_digits[] = "0123456789ABCDEF";

constexpr bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// pchar minus unreserved and pct-encoded: sub-delims, ':' and '@' (RFC 3986 3.3), plus '/'.
constexpr bool is_raw_path_char(unsigned char c) noexcept {
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
      return true;
    default:
      return is_unreserved(c);
  }
}

bool is_control(unsigned char c) noexcept { return c < 0x20 || c == 0x7f; }

constexpr std::array<bool, 256> make_raw_path_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = is_raw_path_char(static_cast<unsigned char>(c));
  return t;
}
constexpr auto raw_path_char = make_raw_path_table();

// Most request paths are already in normal form: only raw path characters (so no escape to
// rewrite and nothing to refuse), no empty segment and no segment starting with '.' (so no dot
// segment, and no ".;" or "..;" either). Those are copied as they are, without a segment split;
// anything else takes the general path below, which gives the same answer for these.
bool already_normal(std::string_view path) noexcept {
  char previous = '/';  // path[0]
  for (std::size_t i = 1; i < path.size(); ++i) {
    const char c = path[i];
    if (!raw_path_char[static_cast<unsigned char>(c)]) return false;
    if (previous == '/' && (c == '/' || c == '.')) return false;
    previous = c;
  }
  return true;
}

void append_escape(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(hex_digits[c >> 4]);
  out.push_back(hex_digits[c & 0x0f]);
}

// First pass: canonical escapes. The result contains no '%2F' and every '/' is a real separator.
boost::system::result<std::string> canonical_escapes(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == '%') {
      if (i + 2 >= in.size()) return path_errc::bad_escape;
      const int hi = base::hex_digit_value(in[i + 1]);
      const int lo = base::hex_digit_value(in[i + 2]);
      if (hi < 0 || lo < 0) return path_errc::bad_escape;
      const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
      if (decoded == '/' || decoded == '\\') return path_errc::encoded_separator;
      if (is_control(decoded)) return path_errc::control_character;
      if (is_unreserved(decoded)) {
        out.push_back(static_cast<char>(decoded));
      } else {
        append_escape(out, decoded);
      }
      i += 2;
    } else if (is_control(c)) {
      return path_errc::control_character;
    } else if (c == '\\') {
      return path_errc::encoded_separator;
    } else if (is_raw_path_char(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      append_escape(out, c);
    }
  }
  return out;
}

}  // namespace

const boost::system::error_category& path_category() noexcept {
  static const path_category_impl instance;
  return instance;
}

boost::system::error_code make_error_code(path_errc e) noexcept {
  return {static_cast<int>(e), path_category()};
}

std::string_view reason_code(path_errc e) noexcept {
  switch (e) {
    case path_errc::not_origin_form:
      return "path_not_origin_form";
    case path_errc::bad_escape:
      return "path_bad_escape";
    case path_errc::encoded_separator:
      return "path_encoded_separator";
    case path_errc::control_character:
      return "path_control_character";
    case path_errc::ambiguous_segment:
      return "path_ambiguous_segment";
  }
  return "path_invalid";
}

target_parts split_target(std::string_view target) noexcept {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}, false};
  return {target.substr(0, q), target.substr(q + 1), true};
}

boost::system::result<std::string> normalize_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return path_errc::not_origin_form;
  if (already_normal(path)) return std::string(path);
  return detail::normalize_path_general(path);
}

boost::system::result<std::string> detail::normalize_path_general(std::string_view path) {
  if (path.empty() || path.front() != '/') return path_errc::not_origin_form;
  auto decoded = canonical_escapes(path);
  if (!decoded) return decoded.error();
  const std::string_view p = *decoded;

  // Segments as views into `p`; empty segments (from "//") are dropped.
  std::vector<std::string_view> segments;
  bool trailing_slash = p.back() == '/';
  std::size_t pos = 1;
  while (pos <= p.size()) {
    auto end = p.find('/', pos);
    if (end == std::string_view::npos) end = p.size();
    const auto seg = p.substr(pos, end - pos);
    pos = end + 1;
    if (seg.empty()) continue;
    const bool last = end == p.size();
    if (seg == ".") {
      if (last) trailing_slash = true;
    } else if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      if (last) trailing_slash = true;
    } else {
      const auto semi = seg.find(';');
      if (semi != std::string_view::npos) {
        const auto head = seg.substr(0, semi);
        if (head == "." || head == "..") return path_errc::ambiguous_segment;
      }
      segments.push_back(seg);
    }
  }

  std::string out;
  out.reserve(p.size());
  for (const auto seg : segments) {
    out.push_back('/');
    out.append(seg);
  }
  if (out.empty() || trailing_slash) out.push_back('/');
  return out;
}

}  // namespace varco::gateway
