// Picks the session store a worker uses from conf::sessions.
#pragma once

#include "conf/config.hpp"
#include "redis/connection.hpp"
#include "session/login_state_store.hpp"
#include "session/memory_login_state.hpp"
#include "session/memory_store.hpp"
#include "session/session_store.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace varco::session {

// A worker's Redis connection on `io`, which its session store, login state and writable
// directory share; null when sessions live in memory. Call on the worker's thread or before its
// io_context runs.
std::shared_ptr<redis::connection> make_store_connection(const conf::config& config,
                                                         boost::asio::io_context& io);

// memory: returns `shared_memory` (one store for every worker; must not be null then).
// redis: a redis_store on `connection` (make_store_connection's; one per worker).
std::shared_ptr<session_store> make_session_store(const conf::config& config,
                                                  std::shared_ptr<redis::connection> connection,
                                                  std::shared_ptr<memory_store> shared_memory);

// The login state (pending requests, replay cache, SLO index) next to a worker's session store:
// on Redis it shares that store's connection; in memory it is `shared_memory` (not null then).
std::shared_ptr<login_state_store> make_login_state_store(
    const conf::config& config, std::shared_ptr<redis::connection> connection,
    std::shared_ptr<memory_login_state> shared_memory);

// Feeds `handler` (run on `io`) the keys of sessions changed anywhere: a redis_subscriber, or a
// memory_store subscription. Keep the returned object alive as long as the handler may run;
// destroy it on the worker's thread.
std::shared_ptr<void> subscribe_revocations(const conf::config& config, boost::asio::io_context& io,
                                            const std::shared_ptr<memory_store>& shared_memory,
                                            revocation_handler handler);

}  // namespace varco::session
