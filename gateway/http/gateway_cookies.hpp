// The cookies varco keeps for itself — the session id, the pre-login binding of a login round, the
// Area Riservata's language, the draft of a form posted after its session ended — and the one list
// of their names that keeps them from crossing to a product: every proxied request (and WebSocket
// upgrade) loses them before it goes upstream, and a product response that would set one of them
// has that Set-Cookie removed, so a product (which may be a third party's) can neither read a
// user's session nor fix one in their browser.
//
// Immutable once built (one per configuration snapshot); any thread may use it.
#pragma once

#include "conf/config.hpp"

#include <boost/beast/http/fields.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

// The names varco sets, before the prefix the deployment gives them (__Host- over TLS).
inline constexpr std::string_view login_cookie_base = "varco_login";
inline constexpr std::string_view language_cookie_name = "varco_lang";
inline constexpr std::string_view draft_cookie_base = "varco_draft";

class gateway_cookies {
 public:
  // The session cookie as the configuration names it, the pre-login, language and draft
  // cookies, each in its bare, __Host- and __Secure- forms: a browser may still hold the other
  // form from a run with the other server.plain_http setting, or one planted under a prefix.
  explicit gateway_cookies(const conf::sessions& sessions = {});

  // Whether `name` is one of varco's cookies. ASCII case is ignored: browsers treat cookie
  // prefixes case-insensitively and some frameworks fold names, so a lookalike is stripped too.
  bool owns(std::string_view name) const noexcept;

  // Appends to `out` every cookie of `cookie_header` that is not varco's, each as the client wrote
  // it, joined with "; " (also to what `out` already holds): the client's order is kept.
  void append_product_cookies(std::string_view cookie_header, std::string& out) const;

  // Whether a product's Set-Cookie header value would set one of varco's cookies.
  bool set_by(std::string_view set_cookie_value) const noexcept;
  // Removes from a product's response every Set-Cookie field that would set one of varco's cookies;
  // the number removed.
  std::size_t remove_set_cookies(boost::beast::http::fields& response) const;

  const std::vector<std::string>& names() const noexcept { return names_; }

 private:
  std::vector<std::string> names_;
};

}  // namespace varco::gateway
