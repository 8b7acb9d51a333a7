// The SLO index: login-state key "slo:<SHA-256 of IdP entity ID, newline, NameID>" → the keys of
// the sessions that login opened. An IdP-initiated LogoutRequest names the user only by NameID;
// this is how /saml/slo finds the sessions to end (and index_take removes the whole set there).
//
// Filled at login (saml_acs). A session that ends on purpose leaves its index here, or the set
// would stay in the store until its TTL for no live session: POST /logout, and the old session
// a new login replaces. Sessions that end by expiry are not removed: idle expiry happens inside
// the store with nothing to hook, and the index's own TTL (sessions.absolute_timeout, set at
// login) ends it at about the session's absolute deadline. Choosing a party or an
// environment updates a session and does not end it: the index stays.
#pragma once

#include "gateway/http/asio_types.hpp"
#include "session/login_state_store.hpp"

#include <string>
#include <string_view>

namespace varco::gateway {

std::string slo_index_key(std::string_view idp_entity_id, std::string_view name_id);
// OpenID Connect sessions are indexed by the subject (slo_index_key(issuer, sub)) and, when the
// ID Token names one, by the provider's session id: a back-channel logout names either.
std::string oidc_sid_index_key(std::string_view issuer, std::string_view sid);

// Takes `session_key` out of its index once the session has ended on purpose. Never fails the
// caller (the session is already gone, which is what the user asked for): a store failure is
// logged with reason=slo_index_cleanup_failed and `why` (what ended the session), and the stale
// member stays until the TTL, harmless since ending a session that is gone does nothing.
// A session with no IdP or NameID (never indexed) is skipped.
// (By value: a coroutine outlives its caller's temporaries.)
awaitable<void> forget_slo_session(session::login_state_store& store, std::string idp_entity_id,
                                   std::string name_id, std::string session_key, std::string why);

}  // namespace varco::gateway
