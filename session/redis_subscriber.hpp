// Listens on the Redis channel `<prefix>revoked` so this worker's cache drops sessions changed
// or deleted by any instance.
//
// It holds its own connection (a subscribed connection can send nothing else) and re-subscribes
// after every reconnect. Each time the subscription is (re)established the handler is called
// with an empty key, meaning "drop everything": revocations published while it was down are lost.
//
// Thread-safety: create, use and destroy on the thread running the executor. The handler runs on
// that executor, never after destruction.
#pragma once

#include "conf/config.hpp"
#include "redis/connection.hpp"
#include "session/session_store.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace varco::session {

class redis_subscriber {
 public:
  redis_subscriber(boost::asio::any_io_executor executor, const conf::redis& config,
                   revocation_handler handler);

  bool healthy() const noexcept { return connection_.healthy(); }
  const redis::connection_stats& stats() const noexcept { return connection_.stats(); }

  static std::string channel_name(const conf::redis& config) {
    return config.key_prefix + "revoked";
  }

 private:
  redis::connection connection_;
};

}  // namespace varco::session
