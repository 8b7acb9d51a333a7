#include "gateway/http/cookies.hpp"

namespace varco::gateway {

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct cookie_pair {
  std::string_view name;
  std::string_view value;
  std::string_view whole;  // trimmed "name=value" as it appeared
};

// Calls f(pair) for each well-formed pair until f returns false.
template <typename F>
void for_each_cookie(std::string_view header, F&& f) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    const auto item = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = trim(item.substr(0, eq));
    if (name.empty()) continue;
    if (!f(cookie_pair{name, trim(item.substr(eq + 1)), item})) return;
  }
}

}  // namespace

std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name) {
  std::optional<std::string_view> found;
  for_each_cookie(cookie_header, [&](const cookie_pair& c) {
    if (c.name != name) return true;
    auto v = c.value;
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    found = v;
    return false;
  });
  return found;
}

std::string remove_cookie(std::string_view cookie_header, std::string_view name) {
  std::string out;
  out.reserve(cookie_header.size());
  for_each_cookie(cookie_header, [&](const cookie_pair& c) {
    if (c.name == name) return true;
    if (!out.empty()) out.append("; ");
    out.append(c.whole);
    return true;
  });
  return out;
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
