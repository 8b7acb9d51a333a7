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

// `cookie_header` without any cookie named `name`, the others re-joined with "; ". An empty result
// means the header should be dropped. Used so the session cookie never reaches an upstream.
std::string remove_cookie(std::string_view cookie_header, std::string_view name);

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

}  // namespace varco::gateway
