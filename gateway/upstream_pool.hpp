// Keep-alive connections to one worker's upstreams.
//
// One pool per worker (no locks: only that worker's io_context touches it), keyed by upstream
// URL. A request borrows a connection, returns it when the response was fully read and the
// upstream allows keep-alive; idle connections beyond the environment's pool_size, or idle for
// longer than max_idle, are closed.
#pragma once

#include "conf/config.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/upstream_stream.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace varco::gateway {

struct upstream_connection {
  // The read buffer starts with room for a typical response: Beast reads at most the free
  // capacity (512 bytes when empty), so an empty buffer costs several recvmsg per response.
  explicit upstream_connection(const asio::any_io_executor& ex) : stream(ex) {
    buffer.reserve(16 * 1024);
  }
  upstream_stream stream;
  beast::flat_buffer buffer;  // bytes read ahead from the upstream (kept with the connection)
  std::string client_head;    // scratch for the head relayed to the client (capacity reused)
  std::string pool_key;
  bool reused = false;  // came from the pool: may have been closed by the peer meanwhile
  std::chrono::steady_clock::time_point idle_since{};
};

using upstream_connection_ptr = std::unique_ptr<upstream_connection>;

enum class connect_failure { none, refused, timeout, resolve, tls };

struct connect_outcome {
  upstream_connection_ptr connection;
  connect_failure failure = connect_failure::none;
  boost::system::error_code error;
};

class upstream_pool {
 public:
  explicit upstream_pool(asio::io_context& io) : io_(io) {}

  // A pooled idle connection if one is usable, else a new one within connect_timeout.
  // `fresh_only` skips the pool (retries after a stale reused connection failed, WebSockets).
  awaitable<connect_outcome> acquire(const conf::upstream_url& url, const conf::environment& env,
                                     bool fresh_only = false);

  // Gives the connection back. Not reusable (or over the pool size) → closed.
  void release(upstream_connection_ptr connection, bool reusable, std::size_t pool_size);

  // Closes every idle connection (drain, reload).
  void clear();

  std::size_t idle_count() const;

  static constexpr std::chrono::seconds max_idle{30};

 private:
  struct endpoint_cache {
    std::vector<tcp::endpoint> endpoints;
    std::chrono::steady_clock::time_point resolved_at{};
  };

  awaitable<connect_outcome> connect_new(const conf::upstream_url& url,
                                         const conf::environment& env, std::string key);

  asio::io_context& io_;
  // TLS client settings for one upstream: verify the certificate chain (system store or
  // ca_file) and the host name, TLS 1.2 or later.
  asio::ssl::context* tls_context_for(const conf::upstream_url& url, const conf::environment& env);

  std::unordered_map<std::string, std::deque<upstream_connection_ptr>> idle_;
  std::unordered_map<std::string, std::unique_ptr<asio::ssl::context>> tls_contexts_;
  std::unordered_map<std::string, endpoint_cache> resolved_;
};

}  // namespace varco::gateway
