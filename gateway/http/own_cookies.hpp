// The cookies of the login flow. The pre-login cookie binds a pending AuthnRequest to the browser
// that started it; it must survive the IdP's cross-site POST back, so it is SameSite=None (which
// browsers accept only with Secure) — or, in the plain-HTTP development mode, Lax without Secure
// (the demo IdP and varco share the 127.0.0.1 site, where Lax cookies ride on POSTs).
#pragma once

#include "conf/config.hpp"
#include "gateway/http/cookies.hpp"
#include "gateway/http/gateway_cookies.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace varco::gateway {

inline std::string pre_login_cookie_name(bool plain_http) {
  return plain_http ? std::string(login_cookie_base) : "__Host-" + std::string(login_cookie_base);
}

inline cookie_options pre_login_cookie_options(bool plain_http, std::chrono::seconds max_age) {
  cookie_options o;
  o.max_age = max_age;
  o.secure = !plain_http;
  o.same_site = plain_http ? same_site::lax : same_site::none;
  return o;
}

inline cookie_options session_cookie_options(bool plain_http) {
  cookie_options o;  // a browser-session cookie; the server enforces idle and absolute expiry
  o.secure = !plain_http;
  o.same_site = same_site::lax;
  return o;
}

// The draft cookie names a form's draft kept while its user logs in again (portal/form_drafts.hpp).
// It only has to come back to varco's own pages after the login's 303, a top-level GET, so Lax as
// the session cookie; it lives as long as the draft (saml.request_ttl).
inline std::string draft_cookie_name(bool plain_http) {
  return plain_http ? std::string(draft_cookie_base) : "__Host-" + std::string(draft_cookie_base);
}

inline cookie_options draft_cookie_options(bool plain_http, std::chrono::seconds max_age) {
  cookie_options o = session_cookie_options(plain_http);
  o.max_age = max_age;
  return o;
}

inline cookie_options expired_cookie_options(bool plain_http) {
  cookie_options o = session_cookie_options(plain_http);
  o.max_age = std::chrono::seconds(0);
  return o;
}

}  // namespace varco::gateway
