// Where sessions live: the in-memory store (one instance) or Redis (several instances).
#pragma once

#include "session/errors.hpp"
#include "session/session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace varco::session {

template <class T>
using result = boost::system::result<T>;

// A session read back from the store, with the time it has left there. The idle timeout is the
// store's own expiry (refreshed by touch), so `ttl` tells when it was last refreshed.
struct stored_session {
  session value;
  std::chrono::milliseconds ttl{};
};

// Thread-safety: a store object is used from the io_context of the worker that owns it (the Redis
// store holds one connection per worker); the memory store is shared and internally locked.
// Coroutines complete on the caller's executor. Errors are store_errc values, never exceptions.
class session_store {
 public:
  virtual ~session_store() = default;

  // Missing or expired → an empty optional, not an error.
  virtual boost::asio::awaitable<result<std::optional<stored_session>>> load(std::string key) = 0;

  // Creates or replaces the whole session (key = s.key) with this time to live, and tells every
  // instance's cache to drop its copy (a changed party or environment must be seen at once).
  virtual boost::asio::awaitable<result<void>> save(session s, std::chrono::milliseconds ttl) = 0;

  // Stores a session under a key just drawn (session_service::create). No instance can hold a
  // copy of it, so nothing is published: a login does not wake every worker of every instance.
  // A key already there is refused (store_errc::protocol), never overwritten.
  virtual boost::asio::awaitable<result<void>> insert(session s, std::chrono::milliseconds ttl) = 0;

  // Sliding idle timeout: sets the time to live without rewriting the data (no lost updates).
  virtual boost::asio::awaitable<result<void>> touch(std::string key,
                                                     std::chrono::milliseconds ttl) = 0;

  // Deletes the session and publishes its key so every instance evicts it from its cache.
  virtual boost::asio::awaitable<result<void>> remove(std::string key) = 0;

  // Whether the last exchange with the backing store succeeded (for /readyz).
  virtual bool healthy() const = 0;
};

// Receives the keys of sessions changed or deleted anywhere (Redis channel varco:revoked, or the
// memory store directly). The callback runs on the subscriber's executor; it must not block.
using revocation_handler = std::function<void(std::string_view key)>;

}  // namespace varco::session
