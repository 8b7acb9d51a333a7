// A form posted to the Area Riservata without a live session: which page the login returns to,
// and whether the post may leave a draft of what was typed (form_drafts.hpp keeps it).
//
// A draft is offered back pre-filled on the form's page after the next login, so only the
// Area Riservata's own pages may create one: a cross-site page that could post a draft would
// plant a pre-filled form (a user to add, a message to send) in the victim's browser. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

enum class post_origin {
  same_origin,  // posted by a page of this site: a draft may be kept
  cross_site,   // another origin (or an opaque "null" one): nothing is kept
  unknown,      // neither Sec-Fetch-Site nor Origin came: nothing is kept
};

// The request's fetch metadata, each absent when the header did not come. A header given twice
// is passed as an empty value, which never counts as same-origin.
struct origin_headers {
  std::optional<std::string_view> sec_fetch_site;
  std::optional<std::string_view> origin;
};

// Sec-Fetch-Site decides when present (a page cannot set it; browsers that send it know best):
// only "same-origin" is. Otherwise Origin must equal `request_origin` (the scheme of the
// connection and the Host header) or `public_origin` (of server.public_base_url, for TLS ended
// by a proxy in front), ASCII case ignored. Empty origins to compare with are skipped.
post_origin classify_post_origin(const origin_headers& headers, std::string_view request_origin,
                                 std::string_view public_origin);

// "https://<host>" over TLS, "http://<host>" otherwise; "" without a host.
std::string request_origin(bool tls, std::string_view host);

// The origin ("scheme://authority") of an absolute http(s) URL; "" for anything else.
std::string_view origin_of(std::string_view url);

// The page a login started by a request without a session comes back to: a GET (or HEAD) its
// own target; a POST to a form that keeps drafts (/area/support, /area/users) that form's page,
// where the draft is offered; any other POST the Panoramica (a form's action is no page).
std::string login_return_path(bool get, std::string_view path, std::string_view target);

}  // namespace varco::gateway
