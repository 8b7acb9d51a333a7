// One Redis connection driven by a worker's io_context: hiredis's async API with Asio as its
// event loop (no extra thread, no blocking call).
//
// Commands are pipelined: any number may be in flight, replies come back in order. When the
// connection fails (refused, reset, timeout) every pending command completes with
// store_errc::unavailable and the connection re-establishes itself in the background with
// exponential backoff (redis.reconnect_min → reconnect_max), sending AUTH and SELECT first.
// While it is down, commands fail at once instead of queueing.
//
// With sessions.redis.sentinel, the primary's address is asked of the sentinels before every
// connection and a server that is not (or no longer) the primary is left, so a failover is followed
// within reconnect_max plus the sentinels' own failover time. With sessions.redis.cluster,
// commands are routed to the node owning their key's slot (redis/cluster.hpp) and a
// subscription goes to any node (cluster pub/sub reaches every node).
//
// Thread-safety: create, use and destroy on the thread running the executor's io_context;
// stats() and healthy() may be read from any thread. Destroying the object completes what is
// pending with unavailable; completion handlers that run later never touch freed memory.
#pragma once

#include "conf/config.hpp"
#include "redis/command_batch.hpp"
#include "redis/errors.hpp"
#include "redis/reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace varco::redis {

class cluster;

// `config` for connections named `name` in the server's CLIENT LIST ("varco:sessions", …).
inline conf::redis with_client_name(conf::redis config, std::string name) {
  config.client_name = std::move(name);
  return config;
}

// Counters for /metrics; relaxed atomics, readable from any thread.
struct connection_stats {
  std::atomic<std::uint64_t> commands{0};    // commands sent
  std::atomic<std::uint64_t> errors{0};      // failed commands, failed connects, lost connections
  std::atomic<std::uint64_t> timeouts{0};    // commands or connects that ran out of time
  std::atomic<std::uint64_t> reconnects{0};  // connection attempts after the first
};

class connection {
 public:
  // Starts connecting at once.
  connection(boost::asio::any_io_executor executor, conf::redis config);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Sends one command (arguments binary safe). A Redis error reply is a successful result of
  // kind error; store_errc::unavailable / timeout are failures of the connection.
  boost::asio::awaitable<boost::system::result<reply>> command(std::vector<std::string> args);

  // Sends all commands back to back before waiting for any reply; one result per command.
  boost::asio::awaitable<std::vector<boost::system::result<reply>>> pipeline(
      std::vector<std::vector<std::string>> commands);
  // The same for commands already formatted (the cheaper form for a fixed batch on a hot path).
  boost::asio::awaitable<std::vector<boost::system::result<reply>>> pipeline(
      command_batch commands);

  // Subscriber mode (use no other command on this connection): SUBSCRIBE to `channel` now and
  // after every reconnect. `on_message` gets each payload; `on_subscribed` runs each time the
  // subscription is (re)established, since messages published while down were lost. Both are
  // posted to the executor, never run inline.
  void subscribe(std::string channel, std::function<void(std::string_view payload)> on_message,
                 std::function<void()> on_subscribed);

  // Connected, authenticated and on the right database.
  bool healthy() const noexcept;
  const connection_stats& stats() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;           // one server (standalone, via Sentinel, a pub/sub node)
  std::shared_ptr<cluster> cluster_;     // sessions.redis.cluster: commands routed by slot
  std::atomic<bool> subscriber_{false};  // subscribe() was called: impl_ is what counts
};

}  // namespace varco::redis
