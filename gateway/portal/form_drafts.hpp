// Drafts of the Area Riservata's forms across a new login: a form posted after its session ended
// leaves what was typed in the login-state store, the browser gets a cookie naming it, and the
// form's page shows it once when the user is back. The record and its limits are form_draft.hpp;
// the origin rule expired_post.hpp.
//
//   keep     POST /area/support or /area/users without a live session, from a browser: a draft
//            under "d:<sha256(id)>" for saml.request_ttl (as a pre-login round), id = 256 random
//            bits in the draft cookie (gateway/http/own_cookies.hpp). Nothing is kept for a
//            cross-site post, one without Origin or Sec-Fetch-Site, or one over rate_limits.login
//            (the limit of /saml/login, counted in the same counter: every unauthenticated write of
//            login state shares one per-client budget). Every kept draft gets a fresh id, as a
//            login round does: a second post replaces the cookie and leaves the first record to its
//            TTL.
//   restore  GET of the form's page, signed in: the draft if its path is that page, taken (single
//            use); the cookie is cleared whatever the draft was (missing, expired, another page).
//   discard  Esci: the draft deleted and the cookie cleared, so a shared computer does not show
//            it to whoever logs in next.
// The text never goes into a URL or a log line.
//
// Cheap to make per request; holds references to the worker's store and the request's config
// snapshot, which outlive it. Use on the worker's thread.
#pragma once

#include "conf/config.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/services.hpp"
#include "gateway/portal/form_draft.hpp"
#include "session/login_state_store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

class form_drafts {
 public:
  form_drafts(session::login_state_store& store, const conf::config& config)
      : store_(store), config_(config) {}

  struct kept {
    std::string_view outcome;               // draft_kept, draft_refused_cross_site, … (logged)
    std::optional<std::string> set_cookie;  // the draft cookie, when a draft was kept
  };
  // For a browser's POST to a draft form without a live session, before its login redirect.
  awaitable<kept> keep(const http::request<http::string_body>& request,
                       const exchange_notes& notes);

  struct restored {
    std::optional<form_draft> draft;        // this page's draft, already taken from the store
    std::optional<std::string> set_cookie;  // clears the draft cookie, when one came
  };
  // For a signed-in GET of the draft form at `path`.
  awaitable<restored> restore(const http::request_header<>& request, std::string_view path);

  // For Esci: clears the draft cookie (the Set-Cookie to add), when one came.
  awaitable<std::optional<std::string>> discard(const http::request_header<>& request);

 private:
  struct cookie_found {
    bool sent = false;
    std::optional<std::string> id;  // well-formed ids only
  };
  cookie_found draft_cookie(const http::request_header<>& request) const;
  std::string clearing_cookie() const;

  session::login_state_store& store_;
  const conf::config& config_;
};

// Esci deletes the browser's draft: the login endpoints' logout calls this (they know nothing of
// drafts), on every answer but the refusals.
class drafts_at_logout final : public logout_listener {
 public:
  explicit drafts_at_logout(session::login_state_store& store) : store_(store) {}
  awaitable<std::optional<std::string>> on_logout(const http::request_header<>& request,
                                                  const runtime& current) override;

 private:
  session::login_state_store& store_;
};

}  // namespace varco::gateway
