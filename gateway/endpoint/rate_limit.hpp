// Fixed-window rate limits of the endpoints reachable without a session (/saml/login, /saml/acs)
// and of the Area Riservata forms, counted in the login-state store: in Redis they hold across
// every instance, in memory across the workers of one.
//
// A window is wall-clock aligned (now / window), so every instance counts into the same key; the
// key lives one window. Retry-After is the time left in the current window.
#pragma once

#include "conf/config.hpp"
#include "gateway/http/asio_types.hpp"
#include "session/login_state_store.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace varco::gateway {

struct rate_check {
  enum class verdict { allowed, limited, store_failed };
  verdict outcome = verdict::allowed;
  std::chrono::seconds retry_after{0};  // for limited: at least 1
};

// The store key of one subject's counter in the window holding `now` (exposed for tests).
std::string rate_key(std::string_view scope, std::string_view subject,
                     const conf::rate_limit& limit, std::chrono::system_clock::time_point now);

// Counts one request of `subject` (a client address: exchange_notes::client, an IdP) against
// `limit`; always allowed when the limit is off.
awaitable<rate_check> check_rate_limit(session::login_state_store& store, std::string_view scope,
                                       std::string_view subject, const conf::rate_limit& limit);

}  // namespace varco::gateway
