// Sessions for tests, written to Redis through the session library exactly as the login will
// (there is no login bypass in the product). Each call runs its own io_context and Redis
// connection on the calling thread.
#pragma once

#include "conf/config.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace varco::test {

struct session_spec {
  std::string fiscal_number = "RSSMRA80A01H501U";
  std::string name = "Mario";
  std::string family_name = "Rossi";
  std::string email = "mario.rossi@example.it";
  std::string party;                                // selected party id; "" = none
  std::map<std::string, std::string> environments;  // product id → environment id
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  // > 0: the session was created this long ago (stored directly with that created_at, as an
  // old session would be), still alive in the store for idle_timeout.
  std::chrono::milliseconds created_ago{0};
};

// Creates the session through session_service (or the store, for created_ago) on the Redis at
// 127.0.0.1:redis_port with the default key prefix; returns the cookie value. Throws on failure.
std::string create_session(std::uint16_t redis_port, const session_spec& spec);
// The same on any Redis varco supports (a Sentinel set, a Cluster), with its key prefix.
std::string create_session(const conf::redis& redis, const session_spec& spec);

// Whether the store still holds it (not expired, not deleted). Throws on a store failure.
bool session_exists(std::uint16_t redis_port, const std::string& cookie_id);

// Destroys it through session_service, which publishes the revocation. Throws on failure.
// `key_prefix`: the sessions.redis.key_prefix of the varco that made it (a test stack's own).
void delete_session(std::uint16_t redis_port, const std::string& cookie_id,
                    const std::string& key_prefix = conf::redis{}.key_prefix);
void delete_session(const conf::redis& redis, const std::string& cookie_id);

}  // namespace varco::test
