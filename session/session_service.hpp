// What the gateway calls per request: sessions by cookie, with the worker's cache in front of
// the store and the idle/absolute timeouts enforced.
//
// One per worker; not thread-safe (the cache is unlocked). The store is shared with the caller.
// The clock is injected so expiry is tested without waiting.
#pragma once

#include "base/clock.hpp"
#include "conf/config.hpp"
#include "session/session_cache.hpp"
#include "session/session_store.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace varco::session {

class session_service {
 public:
  session_service(std::shared_ptr<session_store> store, const conf::sessions& config,
                  base::clock_function now = base::system_now);

  // The session for a cookie value; empty if the value is malformed, unknown, idle-expired or
  // past its absolute timeout (then it is also removed). Refreshes the idle timeout in the store
  // at most once per touch_interval. Store failures are errors.
  boost::asio::awaitable<result<std::optional<session>>> find(std::string_view cookie_id);
  // Same, without copying the session (null = none): the hot path.
  // The cookie_id view must stay valid until the coroutine completes.
  boost::asio::awaitable<result<std::shared_ptr<const session>>> find_shared(
      std::string_view cookie_id);

  // What find_shared answers when it needs no store: null for a malformed cookie, the session
  // when this worker's cache holds it fresh; nullopt when only the store can tell. Lets the
  // request path stay synchronous (no coroutine frame) for cached sessions.
  std::optional<std::shared_ptr<const session>> find_cached(std::string_view cookie_id);
  // The rest of find_shared when find_cached could not tell: the store, then the cache filled.
  boost::asio::awaitable<result<std::shared_ptr<const session>>> find_in_store(
      std::string_view cookie_id);

  // Stores a new session under a fresh id (never one the client chose) with created_at and a
  // CSRF token set; returns the cookie value.
  boost::asio::awaitable<result<std::string>> create(session s);

  // Replaces the stored session (s.key set): e.g. party or environment chosen. Keeps the
  // absolute deadline.
  boost::asio::awaitable<result<void>> update(session s);

  boost::asio::awaitable<result<void>> destroy(std::string_view key);

  // For the revocation feed: evicts a key from this worker's cache; an empty key clears it.
  revocation_handler revocation_listener();

  session_cache& cache() noexcept { return cache_; }
  session_store& store() noexcept { return *store_; }
  const conf::sessions& config() const noexcept { return config_; }

 private:
  // Time the store should keep the session from `now`: the idle timeout, but never past the
  // absolute deadline.
  std::chrono::milliseconds ttl_from(const session& s, time_point now) const;

  std::shared_ptr<session_store> store_;
  conf::sessions config_;
  base::clock_function now_;
  session_cache cache_;
};

}  // namespace varco::session
