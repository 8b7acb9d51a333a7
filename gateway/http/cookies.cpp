#include "gateway/http/cookies.hpp"

namespace varco::gateway {

std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name) {
  std::optional<std::string_view> found;
  for_each_cookie(cookie_header, [&](std::string_view found_name, std::string_view value,
                                     std::string_view /*whole*/) {
    if (found_name != name) return true;
    auto v = value;
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    found = v;
    return false;
  });
  return found;
}

std::string_view set_cookie_name(std::string_view set_cookie_value) noexcept {
  using cookies_detail::trim;
  const auto pair = trim(set_cookie_value.substr(0, set_cookie_value.find(';')));
  const auto eq = pair.find('=');
  // RFC 6265bis 5.6: without '=' the whole pair is the value of a nameless cookie, which the
  // browser sends back bare; with an empty name ("=a=b") it sends the value ("a=b"), which reads as
  // a cookie named "a". Either way, what comes back names the cookie.
  if (eq == std::string_view::npos) return pair;
  if (const auto name = trim(pair.substr(0, eq)); !name.empty()) return name;
  const auto value = trim(pair.substr(eq + 1));
  return trim(value.substr(0, value.find('=')));
}

std::string set_cookie(std::string_view name, std::string_view value,
                       const cookie_options& options) {
  std::string out;
  out.reserve(name.size() + value.size() + 64);
  out.append(name).append("=").append(value);
  if (!options.path.empty()) out.append("; Path=").append(options.path);
  if (options.max_age) {
    const auto seconds = options.max_age->count() < 0 ? 0 : options.max_age->count();
    out.append("; Max-Age=").append(std::to_string(seconds));
    // Old clients ignore Max-Age; an explicit past Expires makes deletion reliable everywhere.
    if (seconds == 0) out.append("; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  }
  if (options.secure) out.append("; Secure");
  if (options.http_only) out.append("; HttpOnly");
  switch (options.same_site) {
    case same_site::lax:
      out.append("; SameSite=Lax");
      break;
    case same_site::strict:
      out.append("; SameSite=Strict");
      break;
    case same_site::none:
      out.append("; SameSite=None");
      break;
  }
  return out;
}

}  // namespace varco::gateway
