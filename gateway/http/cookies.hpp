// Cookie header parsing and Set-Cookie rendering (RFC 6265), allocation-light, no state.
//
// A request may carry several Cookie headers (HTTP/2 gateways split them): call these once per
// header value. All functions are pure and thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

// The value of the first cookie named `name` (case-sensitive, as RFC 6265 says) in one Cookie
// header value. Spaces and tabs around pairs and around '=' are tolerated, pairs without '=' are
// skipped, and a value in double quotes is returned without them. The view points into
// `cookie_header`.
std::optional<std::string_view> find_cookie(std::string_view cookie_header, std::string_view name);

// Calls f(name, value, whole) for each well-formed pair of one Cookie header value ("name=value";
// `whole` is the pair as written, trimmed) until f returns false. Items without '=' or with an
// empty name are skipped; the views point into `cookie_header`.
template <typename F>
void for_each_cookie(std::string_view cookie_header, F&& f);

// The name under which the browser will send back the cookie a Set-Cookie header value sets
// (trimmed): its name, or for a nameless cookie what its value makes look like one.
std::string_view set_cookie_name(std::string_view set_cookie_value) noexcept;

enum class same_site { lax, strict, none };

struct cookie_options {
  std::optional<std::chrono::seconds> max_age;  // none: a session cookie; 0: delete now
  bool secure = true;
  bool http_only = true;
  gateway::same_site same_site = same_site::lax;
  std::string path = "/";
};

// A Set-Cookie header value. `name` and `value` must already be cookie-safe (the gateway only
// sets its own random, base64url or hex values); this does not escape.
std::string set_cookie(std::string_view name, std::string_view value,
                       const cookie_options& options = {});

namespace cookies_detail {
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace cookies_detail

template <typename F>
void for_each_cookie(std::string_view cookie_header, F&& f) {
  using cookies_detail::trim;
  while (!cookie_header.empty()) {
    const auto semi = cookie_header.find(';');
    const auto item = trim(cookie_header.substr(0, semi));
    cookie_header =
        semi == std::string_view::npos ? std::string_view{} : cookie_header.substr(semi + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = trim(item.substr(0, eq));
    if (name.empty()) continue;
    if (!f(name, trim(item.substr(eq + 1)), item)) return;
  }
}

}  // namespace varco::gateway
