// Short-lived login state next to the sessions: pending AuthnRequests and RelayState (single use),
// the replay cache of assertion IDs, the SLO index (IdP + NameID → session keys), and the
// rate-limit counters of the login and form endpoints.
//
// Every key is namespaced by the caller ("a:<relay>", "r:<assertion id>", "slo:<idp>|<nameid>");
// the store adds its own prefix. Values are opaque bytes.
//
// Thread-safety: as session_store (the Redis one per worker on its thread; the memory one shared
// and locked). Errors are store_errc values, never exceptions.
#pragma once

#include "session/session_store.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace varco::session {

class login_state_store {
 public:
  virtual ~login_state_store() = default;

  // Stores `value` under `key` for `ttl` (replacing any previous value).
  virtual boost::asio::awaitable<result<void>> put(std::string key, std::string value,
                                                   std::chrono::milliseconds ttl) = 0;

  // Reads without consuming: a check that must not use up the value (the ACS looks at which
  // browser a pending request is bound to before it takes it). Missing or expired → empty.
  virtual boost::asio::awaitable<result<std::optional<std::string>>> peek(std::string key) = 0;

  // Reads and deletes in one step, so a pending request can be consumed only once even when two
  // instances race for it. Missing or expired → empty.
  virtual boost::asio::awaitable<result<std::optional<std::string>>> take(std::string key) = 0;

  // Records `key` for `ttl` if it is not there yet: true the first time, false on a replay.
  virtual boost::asio::awaitable<result<bool>> claim_once(std::string key,
                                                          std::chrono::milliseconds ttl) = 0;

  // The SLO index: a set of session keys under `key`, kept at least `ttl` from the last add.
  virtual boost::asio::awaitable<result<void>> index_add(std::string key, std::string member,
                                                         std::chrono::milliseconds ttl) = 0;
  // Every member, removing the set.
  virtual boost::asio::awaitable<result<std::vector<std::string>>> index_take(std::string key) = 0;
  // Removes one member (a session that ended); the set goes with its last member, so an index
  // left empty costs nothing until its TTL. Removing a member or set that is not there succeeds.
  virtual boost::asio::awaitable<result<void>> index_remove(std::string key,
                                                            std::string member) = 0;

  // Adds one to the counter under `key` (created at 1 with lifetime `ttl`; later hits do not
  // extend it) and returns the new count: a fixed-window rate counter shared by every instance.
  virtual boost::asio::awaitable<result<std::uint64_t>> count_hit(
      std::string key, std::chrono::milliseconds ttl) = 0;
};

}  // namespace varco::session
