#include "gateway/worker.hpp"

#include "base/clock.hpp"
#include "base/hex.hpp"
#include "base/random.hpp"
#include "directory/store_factory.hpp"
#include "gateway/directory_sync.hpp"
#include "gateway/endpoint/crypto_pool.hpp"
#include "gateway/http/forwarded.hpp"
#include "gateway/http/request_id.hpp"
#include "gateway/http/wire_format.hpp"
#include "gateway/http_connection.hpp"
#include "gateway/login/idp_url_refresh.hpp"
#include "gateway/portal/environment_redirect.hpp"
#include "gateway/portal/support_metrics.hpp"
#include "gateway/server.hpp"
#include "gateway/telemetry/access_log.hpp"
#include "policies/claim_headers.hpp"
#include "policies/identity_token.hpp"
#include "session/store_factory.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <sys/socket.h>

namespace varco::gateway {
namespace {

using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Errors are values on the request path; an exception reaching here is a bug (or bad_alloc). It
// ends that one connection (its socket closes with the coroutine frame), is logged loudly, and
// the worker keeps serving everyone else instead of taking the process down.
void connection_ended(const std::exception_ptr& failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    spdlog::critical("connection aborted by an exception: {} (reason=internal_error)", e.what());
  } catch (...) {
    spdlog::critical("connection aborted by an unknown exception (reason=internal_error)");
  }
}

}  // namespace

worker::worker(unsigned index, shared_state& shared)
    : index_(index),
      shared_(shared),
      runtime_(shared.runtime_holder),
      upstreams_(io_),
      handler_(*this) {
  const auto& config = *runtime_.get()->config;
  // One Redis connection per worker (none when sessions live in memory), shared by its session
  // store, login state, writable directory and Assistenza; the metrics read its counters.
  const auto connection = session::make_store_connection(config, io_);
  redis_ = connection.get();
  store_ = session::make_session_store(config, connection, shared_.memory_store);
  login_state_ = session::make_login_state_store(config, connection, shared_.memory_login_state);
  sessions_ = std::make_unique<session::session_service>(store_, config.sessions);
  directory_store_ = directory::make_directory_store(config, connection, shared_.memory_directory);
  // The endpoints get the interfaces they use, never the worker.
  drafts_at_logout_ = std::make_unique<drafts_at_logout>(*login_state_);
  login_ = std::make_unique<login_endpoints>(login_services{runtime_, *sessions_, *login_state_,
                                                            *this, *shared.audit,
                                                            *drafts_at_logout_, *shared.crypto});
  area_ = std::make_unique<area_services>(
      area_services{runtime_, *sessions_, *login_state_, *this, redis_});
  // A session changed or deleted anywhere: drop this worker's copies (session and tokens).
  auto evict_session = sessions_->revocation_listener();
  revocations_ = session::subscribe_revocations(config, io_, shared_.memory_store,
                                                [this, evict_session](std::string_view key) {
                                                  evict_session(key);
                                                  if (key.empty())
                                                    tokens_ = policies::token_cache{};
                                                  else
                                                    tokens_.evict_session(key);
                                                });
}

worker::~worker() = default;

awaitable<bool> worker::reload() {
  if (!directory_store_) co_return false;
  co_return co_await gateway::reload_directory(*directory_store_, shared_.runtime_holder);
}

void worker::refuse_a_port_already_served(const tcp::endpoint& endpoint) {
  if (endpoint.port() == 0) return;  // the kernel picks a port nobody holds
  asio::io_context io;
  tcp::acceptor probe(io);
  probe.open(endpoint.protocol());
  probe.set_option(asio::socket_base::reuse_address(true));  // TIME_WAIT leftovers are fine
  boost::system::error_code ec;
  probe.bind(endpoint, ec);
  if (ec) {
    throw boost::system::system_error(
        ec, "another process already listens on port " + std::to_string(endpoint.port()));
  }
}

tcp::endpoint worker::listen(const tcp::endpoint& endpoint, bool tls) {
  auto bound = std::make_unique<bound_acceptor>(bound_acceptor{tcp::acceptor(io_), tls});
  auto& acceptor = bound->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.set_option(reuse_port(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  auto local = acceptor.local_endpoint();
  acceptors_.push_back(std::move(bound));
  return local;
}

void worker::start_accepting() {
  for (auto& bound : acceptors_)
    asio::co_spawn(io_, accept_loop(bound->acceptor, bound->tls), asio::detached);
}

void worker::run() {
  auto guard = asio::make_work_guard(io_);
  io_.run();
}

awaitable<void> worker::accept_loop(tcp::acceptor& acceptor, bool tls) {
  asio::steady_timer backoff(io_);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors (EMFILE) and the like: pause instead of spinning on the error.
      spdlog::warn("accept failed: {} (reason=accept_error)", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(use_nothrow);
      continue;
    }
    const auto limit = runtime_.get()->config->server.limits.max_connections;
    if (shared_.active_connections.fetch_add(1, std::memory_order_relaxed) >= limit) {
      // Full. Idle connections must not lock out new clients: close this worker's connection idle
      // the longest and serve the new one (the count drops when the closed one unwinds, so it
      // exceeds the limit by the few being closed). Refuse only when every connection of this
      // worker is inside a request.
      if (!connections_.draining() && connections_.reclaim_oldest_idle()) {
        metrics_.idle_connection_reclaimed();
      } else {
        shared_.active_connections.fetch_sub(1, std::memory_order_relaxed);
        metrics_.count_rejection("too_many_connections");
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
    }
    metrics_.connection_opened();
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto peer = socket.remote_endpoint(ignored).address();
    if (peer.is_v6() && peer.to_v6().is_v4_mapped())
      peer = asio::ip::make_address_v4(asio::ip::v4_mapped, peer.to_v6());
    std::string peer_text;
    try {
      peer_text = peer.to_string();
    } catch (const std::exception&) {
      peer_text = "unknown";  // inet_ntop does not fail on a valid address; never escape anyway
    }
    client_info client{peer, std::move(peer_text), tls};
    if (tls && shared_.tls) {
      asio::co_spawn(io_,
                     serve_connection(tls_stream(deadline_stream(std::move(socket)), *shared_.tls),
                                      client, *this),
                     connection_ended);
    } else {
      asio::co_spawn(io_, serve_connection(plain_stream(std::move(socket)), client, *this),
                     connection_ended);
    }
  }
}

void worker::connection_closed() {
  shared_.active_connections.fetch_sub(1, std::memory_order_relaxed);
  metrics_.connection_closed();
  if (connections_.draining() && connections_.size() == 0) report_drained();
}

void worker::report_drained() {
  // Once per worker: a connection accepted just before the acceptor closed can still end after
  // this worker first reached zero, and a second report would count as another worker's,
  // ending the drain while that worker still has requests in flight.
  if (drained_reported_ || !shared_.worker_drained) return;
  drained_reported_ = true;
  shared_.worker_drained();
}

void worker::begin_drain() {
  for (auto& bound : acceptors_) {
    boost::system::error_code ignored;
    bound->acceptor.close(ignored);
  }
  connections_.begin_drain();
  upstreams_.clear();
  if (connections_.size() == 0) report_drained();
}

void worker::force_close() { connections_.close_all(); }

std::string worker::new_request_id() { return gateway::new_request_id(); }

std::string worker::request_id_for(std::string_view incoming, const client_info& client) {
  // A request id from a trusted proxy ties our log to its own; anyone else's is ignored.
  if (!incoming.empty() && is_acceptable_request_id(incoming) &&
      is_trusted(client.peer, runtime_.get()->config->server.trusted_proxies))
    return std::string(incoming);
  return new_request_id();
}

const std::string& worker::claims_block(const gateway::runtime& current,
                                        const session::session& user, const directory::party& party,
                                        const directory::membership& membership,
                                        const conf::product& product,
                                        const conf::environment& env) {
  const auto now = base::system_now();
  // The runtime generation changes on reload (keys, claims settings), the directory's on any
  // change of parties or roles: either makes every cached block stale.
  const policies::token_key key{user.key, product.id, env.id, user.selected_party,
                                (current.generation << 32) ^ current.directory->generation()};
  if (const std::string* cached = tokens_.get(key, now)) return *cached;

  const auto session_expiry = user.created_at + current.config->sessions.absolute_timeout;
  const policies::identity identity = policies::build_identity(
      user, party, membership, current.directory->find_person(user.fiscal_number()), product, env,
      session_expiry);
  const auto& jwt = current.config->jwt;
  const std::string token = current.signer->sign(policies::identity_token_claims(
      identity, jwt.issuer, env.audience, now, jwt.ttl, policies::new_token_id()));
  std::string block;
  for (const auto& [name, value] : policies::claim_headers(identity, product.claims))
    append_field(block, name, value);
  const auto& claims = product.claims;
  append_field(block, claims.token_header,
               claims.token_scheme.empty() ? token : claims.token_scheme + " " + token);
  tokens_.put(key, block, now, policies::identity_token_expiry(identity, now, jwt.ttl));
  if (const std::string* stored = tokens_.get(key, now)) return *stored;
  fresh_block_ = std::move(block);
  return fresh_block_;
}

void worker::record(const exchange_notes& notes, const client_info& client, std::string_view method,
                    unsigned status, std::chrono::steady_clock::time_point started,
                    std::uint64_t bytes_in, std::uint64_t bytes_out) {
  metrics_.count_request(notes.route, status);
  if (!notes.reason.empty() && status >= 300) metrics_.count_rejection(notes.reason);
  const auto& current = runtime_.get();
  if (!current->config->logging.access_log) return;
  access_record record;
  record.method = method;
  record.path = notes.path;
  record.status = status;
  record.upstream = notes.upstream;
  record.product = notes.product;
  record.environment = notes.environment;
  record.party = notes.party;
  record.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  record.bytes_in = bytes_in;
  record.bytes_out = bytes_out;
  record.request_id = notes.request_id;
  record.reason = notes.reason;
  // A request refused before its header was read has no notes.client: its peer is all there is.
  record.client = notes.client.empty() ? client.peer_text : notes.client;
  log_access(record);
}

void worker::observe_upstream(const exchange_notes& notes, std::chrono::microseconds latency,
                              bool answered) {
  if (!answered) return;
  const auto slot = metrics_.upstream_slot(notes.product, notes.environment);
  if (slot != metrics_shard::no_slot) metrics_.observe_upstream(slot, latency);
}

bool worker::store_healthy() const { return store_->healthy(); }

bool worker::every_store_healthy() const {
  return std::all_of(shared_.workers.begin(), shared_.workers.end(),
                     [](const worker* w) { return w->store_healthy(); });
}

std::string worker::render_metrics() const {
  std::vector<const metrics_shard*> shards;
  for (const worker* w : shared_.workers) shards.push_back(&w->metrics_);
  return render(shards, [this](metrics_writer& out) {
    out.gauge("varco_config_generation", "How many times the configuration was loaded.",
              static_cast<double>(shared_.runtime_holder.current()->config_generation));
    double healthy = 0;
    for (const worker* w : shared_.workers) healthy += w->store_healthy() ? 1 : 0;
    out.gauge("varco_session_store_up", "Workers whose session store connection is healthy.",
              healthy);
    double commands = 0, errors = 0, timeouts = 0, reconnects = 0;
    for (const worker* w : shared_.workers) {
      if (!w->redis_) continue;
      const auto& stats = w->redis_->stats();
      commands += static_cast<double>(stats.commands.load(std::memory_order_relaxed));
      errors += static_cast<double>(stats.errors.load(std::memory_order_relaxed));
      timeouts += static_cast<double>(stats.timeouts.load(std::memory_order_relaxed));
      reconnects += static_cast<double>(stats.reconnects.load(std::memory_order_relaxed));
    }
    out.counter("varco_redis_commands_total", "Commands sent to Redis.", commands);
    out.counter("varco_redis_errors_total", "Failed Redis commands, connects and lost connections.",
                errors);
    out.counter("varco_redis_timeouts_total", "Redis commands or connects that ran out of time.",
                timeouts);
    out.counter("varco_redis_reconnects_total", "Redis connection attempts after the first.",
                reconnects);
    write_support_metrics(out);
    if (const auto current = shared_.runtime_holder.current(); current->saml)
      write_idp_metadata_metrics(*current->saml, out);
    if (const crypto_pool* crypto = shared_.crypto; crypto != nullptr) {
      out.gauge("varco_crypto_queue", "Login-path jobs waiting for a crypto thread.",
                static_cast<double>(crypto->waiting()));
      out.counter("varco_crypto_jobs_total", "Login-path jobs (signatures, Response checks).",
                  static_cast<double>(crypto->completed()), {{"outcome", "done"}});
      out.counter("varco_crypto_jobs_total", "Login-path jobs (signatures, Response checks).",
                  static_cast<double>(crypto->refused()), {{"outcome", "refused"}});
    }
  });
}

}  // namespace varco::gateway
