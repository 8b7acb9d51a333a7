// One worker thread: its own io_context, acceptors (SO_REUSEPORT spreads connections across
// workers), Redis connection, session and token caches, upstream pools and metrics shard. Nothing
// here is shared with another worker on the request path.
#pragma once

#include "directory/directory_store.hpp"
#include "gateway/connection_registry.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/services.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/login/login_endpoints.hpp"
#include "gateway/portal/area_services.hpp"
#include "gateway/portal/form_drafts.hpp"
#include "gateway/request_handler.hpp"
#include "gateway/request_services.hpp"
#include "gateway/runtime.hpp"
#include "gateway/telemetry/metrics.hpp"
#include "gateway/upstream_pool.hpp"
#include "policies/identity.hpp"
#include "policies/token_cache.hpp"
#include "session/login_state_store.hpp"
#include "session/session_service.hpp"

#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace varco::redis {
class connection;
}

namespace varco::session {
class memory_store;
}

namespace varco::gateway {

class shared_state;  // server-wide: runtime holder, counters, TLS context (server.hpp)

// It implements the services the endpoints are given (gateway/endpoint/services.hpp); they see
// those interfaces only.
class worker final : public request_services, private rejection_counter, private directory_writer {
 public:
  worker(unsigned index, shared_state& shared);
  ~worker() override;
  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;

  asio::io_context& io() noexcept { return io_; }
  unsigned index() const noexcept { return index_; }

  // Binds this worker's acceptor for `endpoint` (port 0 only for the first worker; the others
  // reuse the port it got). Called on the main thread before run(). Throws on failure (start-up).
  tcp::endpoint listen(const tcp::endpoint& endpoint, bool tls);
  // SO_REUSEPORT lets any process of the same user join a port, so a second varco (another
  // configuration, another IdP list) started on a port already served would silently take a
  // share of its connections. A plain bind, without SO_REUSEPORT, fails when anything listens
  // there: call this before the first listen(). Throws std::system_error (EADDRINUSE).
  static void refuse_a_port_already_served(const tcp::endpoint& endpoint);
  void start_accepting();
  void run();  // the thread body

  // Called on this worker's thread (post from elsewhere).
  void begin_drain();
  void force_close();

  // Request-path services, used by connections and the request handler on this thread.
  runtime_view& runtime() noexcept { return runtime_; }
  const std::shared_ptr<const gateway::runtime>& current_runtime() override {
    return runtime_.get();
  }
  connection_registry& connections() noexcept { return connections_; }
  request_handler& handler() noexcept { return handler_; }
  upstream_pool& upstreams() noexcept { return upstreams_; }
  session::session_service& sessions() noexcept override { return *sessions_; }
  session::login_state_store& login_state() noexcept override { return *login_state_; }
  login_endpoints& login() noexcept override { return *login_; }
  area_services& area() noexcept override { return *area_; }
  const metrics_shard& metrics() const noexcept { return metrics_; }
  void count_rejection(std::string_view reason) override { metrics_.count_rejection(reason); }

  std::string new_request_id();
  // The request's id: the one a trusted proxy sent in X-Request-Id (`incoming`), else a new one.
  std::string request_id_for(std::string_view incoming, const client_info& client) override;
  std::size_t next_upstream(std::size_t count) noexcept override {
    return count ? round_robin_++ % count : 0;
  }
  // The claim header lines and the token header line for this session, party, product and
  // environment, from the per-worker cache; built and signed only on a miss or near expiry.
  // Request-head buffers for proxied requests, recycled: a head with the claims and the token is
  // a couple of KiB, and a fresh one per request cost a large-chunk malloc and free each time
  // (glibc consolidates its fast bins for every such request — profiled).
  std::string take_head_buffer() override {
    if (spare_heads_.empty()) return {};
    std::string buffer = std::move(spare_heads_.back());
    spare_heads_.pop_back();
    return buffer;
  }
  void return_head_buffer(std::string&& buffer) {
    if (buffer.capacity() < 1024 || spare_heads_.size() >= max_spare_heads) return;
    buffer.clear();
    spare_heads_.push_back(std::move(buffer));
  }

  const std::string& claims_block(const gateway::runtime& current, const session::session& user,
                                  const directory::party& party,
                                  const directory::membership& membership,
                                  const conf::product& product,
                                  const conf::environment& env) override;

  void record(const exchange_notes& notes, const client_info& client, std::string_view method,
              unsigned status, std::chrono::steady_clock::time_point started,
              std::uint64_t bytes_in, std::uint64_t bytes_out);
  void observe_upstream(const exchange_notes& notes, std::chrono::microseconds latency,
                        bool answered);
  void connection_closed();
  void note_session_lookup(bool cache_hit, bool store_failed) noexcept override {
    if (store_failed) metrics_.store_error();
    if (cache_hit)
      metrics_.session_cache_hit();
    else
      metrics_.session_cache_miss();
  }

  bool store_healthy() const;  // this worker's own session store connection
  // Every worker's: what /readyz reports, since the balancer's next request may land on any of
  // them (one worker still reconnecting answers 503 to its share of the traffic).
  bool every_store_healthy() const override;
  bool draining() const noexcept override { return connections_.draining(); }
  std::string render_metrics() const override;

 private:
  // directory_writer: the writable directory (null: the read-only YAML file); after this worker
  // wrote to it, read it back and swap it in, so the next request (the writer's own redirect
  // first) sees the change without waiting for the notification.
  directory::directory_store* store() noexcept override { return directory_store_.get(); }
  awaitable<bool> reload() override;

  awaitable<void> accept_loop(tcp::acceptor& acceptor, bool tls);
  void report_drained();  // tells the server this worker has no connection left, once

  unsigned index_;
  shared_state& shared_;
  // One thread runs this context and only it touches its sockets and timers, so the reactor's
  // locks are dropped; post() from other threads (drain, memory-store revocations) stays safe.
  asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  runtime_view runtime_;
  std::shared_ptr<session::session_store> store_;
  redis::connection* redis_ = nullptr;  // the stores' connection (owned by them); null in memory
  std::unique_ptr<session::session_service> sessions_;
  std::shared_ptr<session::login_state_store> login_state_;
  std::shared_ptr<directory::directory_store> directory_store_;
  std::shared_ptr<void> revocations_;
  policies::token_cache tokens_;
  upstream_pool upstreams_;
  connection_registry connections_;
  request_handler handler_;
  std::unique_ptr<drafts_at_logout> drafts_at_logout_;
  std::unique_ptr<login_endpoints> login_;
  std::unique_ptr<area_services> area_;
  metrics_shard metrics_;
  struct bound_acceptor {
    tcp::acceptor acceptor;
    bool tls;
  };
  std::vector<std::unique_ptr<bound_acceptor>> acceptors_;
  std::size_t round_robin_ = 0;
  bool drained_reported_ = false;
  std::string fresh_block_;  // storage for a block the cache refused to keep
  static constexpr std::size_t max_spare_heads = 256;
  std::vector<std::string> spare_heads_;
};

}  // namespace varco::gateway
