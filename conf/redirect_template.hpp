// The URL template of a redirect-mode environment: where varco sends the browser, with the
// signed identity token, when the user enters an environment whose portal lives elsewhere
// (as pagoPA back-offices expect: https://portal.example/#selfCareToken={token}&lang={lang}).
//
// Checked once at load; filled per choice by gateway/portal/environment_redirect. Pure functions.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace varco::conf {

// The placeholders a template may use. Each is replaced by a percent-encoded value.
//   {token}    the identity token (required, only in the fragment)
//   {lang}     the interface language ("it")
//   {party}    the selected party's id
//   {product}  the product id
inline constexpr std::array<std::string_view, 4> redirect_placeholders{"token", "lang", "party",
                                                                       "product"};

// What is wrong with `url` as a redirect template; nullopt when fine. Fine: an http:// or
// https:// URL with a host and no user info; only the placeholders above, none in the scheme or
// authority (the host must not depend on the user); "{token}" present, and every occurrence in
// the fragment (after the first '#'): a fragment never reaches a server, a proxy or an access
// log, where a token in the path or query would.
std::optional<std::string> redirect_template_problem(std::string_view url);

// The longest token_ttl a redirect environment may set: the token is consumed at once by the
// portal's page, and a longer life only widens the window for a leaked URL.
inline constexpr int max_redirect_token_ttl_seconds = 300;

}  // namespace varco::conf
