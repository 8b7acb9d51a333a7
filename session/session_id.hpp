// Session identifiers: the random id the browser holds and the key the store sees.
//
// All functions are thread-safe (OpenSSL's RNG is). A failing RNG is a broken invariant: the
// process aborts rather than hand out guessable ids.
#pragma once

#include <string>
#include <string_view>

namespace varco::session {

// 256 random bits, base64url without padding: always 43 characters.
std::string new_session_id();

// Lower-case hex SHA-256 of the id (64 characters): what the store keys on.
std::string session_key(std::string_view id);

// Exact shape check of a cookie value (length, alphabet, unused trailing bits zero), so garbage
// cookies are turned away before any hashing or store round trip.
bool looks_like_session_id(std::string_view id) noexcept;

// Per-session anti-CSRF token: 256 random bits, base64url without padding.
std::string new_csrf_token();

}  // namespace varco::session
