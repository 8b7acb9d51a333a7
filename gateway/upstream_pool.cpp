#include "gateway/upstream_pool.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace varco::gateway {

awaitable<connect_outcome> upstream_pool::acquire(const conf::upstream_url& url,
                                                  const conf::environment& env, bool fresh_only) {
  // Pools are keyed by the upstream URL as configured: no string is built per request.
  if (!fresh_only) {
    auto found = idle_.find(url.text);
    if (found != idle_.end()) {
      auto& queue = found->second;
      const auto now = std::chrono::steady_clock::now();
      while (!queue.empty()) {
        // Most recently returned first: the warmest connection is the least likely to be stale.
        upstream_connection_ptr candidate = std::move(queue.back());
        queue.pop_back();
        // No probe of the socket here (it costs syscalls on every request): a connection the
        // upstream closed while idle fails on first use and forward() retries once, fresh.
        if (now - candidate->idle_since > max_idle || !candidate->stream.socket().is_open()) {
          boost::system::error_code ignored;
          candidate->stream.socket().close(ignored);
          continue;
        }
        candidate->reused = true;
        co_return connect_outcome{std::move(candidate)};
      }
    }
  }
  co_return co_await connect_new(url, env, url.text);
}

awaitable<connect_outcome> upstream_pool::connect_new(const conf::upstream_url& url,
                                                      const conf::environment& env,
                                                      std::string key) {
  connect_outcome outcome;
  auto connection = std::make_unique<upstream_connection>(io_.get_executor());
  connection->pool_key = key;

  auto& cache = resolved_[key];
  const auto now = std::chrono::steady_clock::now();
  if (cache.endpoints.empty() || now - cache.resolved_at > std::chrono::seconds(60)) {
    cache.endpoints.clear();
    boost::system::error_code ec;
    const auto literal = asio::ip::make_address(url.host, ec);
    if (!ec) {
      cache.endpoints.emplace_back(literal, url.port);
    } else {
      tcp::resolver resolver(io_);
      auto [resolve_ec, results] =
          co_await resolver.async_resolve(url.host, std::to_string(url.port), use_nothrow);
      if (resolve_ec) {
        outcome.failure = connect_failure::resolve;
        outcome.error = resolve_ec;
        co_return outcome;
      }
      for (const auto& entry : results) cache.endpoints.push_back(entry.endpoint());
    }
    cache.resolved_at = now;
  }

  connection->stream.expires_after(env.connect_timeout);
  auto [ec, endpoint] =
      co_await connection->stream.next_layer().async_connect(cache.endpoints, use_nothrow);
  if (ec) {
    cache.endpoints.clear();  // resolve again next time: the address may have moved
    outcome.failure =
        ec == beast::error::timeout ? connect_failure::timeout : connect_failure::refused;
    outcome.error = ec;
    co_return outcome;
  }
  boost::system::error_code ignored;
  connection->stream.socket().set_option(tcp::no_delay(true), ignored);

  if (url.https) {
    asio::ssl::context* context = tls_context_for(url, env);
    if (context == nullptr) {
      outcome.failure = connect_failure::tls;
      outcome.error = asio::error::no_protocol_option;
      co_return outcome;
    }
    auto& tls = connection->stream.start_tls(*context);
    const std::string& name = env.tls.server_name.empty() ? url.host : env.tls.server_name;
    // SNI, and the name the certificate must carry (unless verification is explicitly off).
    SSL_set_tlsext_host_name(tls.native_handle(), name.c_str());
    if (env.tls.verify) {
      tls.set_verify_mode(asio::ssl::verify_peer);
      tls.set_verify_callback(asio::ssl::host_name_verification(name));
    } else {
      tls.set_verify_mode(asio::ssl::verify_none);
    }
    connection->stream.expires_after(env.connect_timeout);
    auto [handshake_ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, use_nothrow);
    if (handshake_ec) {
      outcome.failure =
          handshake_ec == beast::error::timeout ? connect_failure::timeout : connect_failure::tls;
      outcome.error = handshake_ec;
      co_return outcome;
    }
  }
  outcome.connection = std::move(connection);
  co_return outcome;
}

asio::ssl::context* upstream_pool::tls_context_for(const conf::upstream_url& url,
                                                   const conf::environment& env) {
  const std::string key = url.text + '|' + env.tls.ca_file + (env.tls.verify ? "|v" : "|n");
  auto found = tls_contexts_.find(key);
  if (found != tls_contexts_.end()) return found->second.get();
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (env.tls.verify) {
    if (env.tls.ca_file.empty())
      context->set_default_verify_paths(ec);
    else
      context->load_verify_file(env.tls.ca_file, ec);
  }
  if (ec) {
    spdlog::error("upstream {}: cannot load trust anchors {}: {} (reason=upstream_tls_config)",
                  url.text, env.tls.ca_file, ec.message());
    return nullptr;
  }
  return tls_contexts_.emplace(key, std::move(context)).first->second.get();
}

void upstream_pool::release(upstream_connection_ptr connection, bool reusable,
                            std::size_t pool_size) {
  if (!connection) return;
  auto& queue = idle_[connection->pool_key];
  if (!reusable || queue.size() >= pool_size || connection->buffer.size() != 0) {
    boost::system::error_code ignored;
    connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    connection->stream.socket().close(ignored);
    return;
  }
  connection->stream.expires_never();
  connection->idle_since = std::chrono::steady_clock::now();
  queue.push_back(std::move(connection));
}

void upstream_pool::clear() {
  for (auto& [key, queue] : idle_) {
    for (auto& connection : queue) {
      boost::system::error_code ignored;
      connection->stream.socket().close(ignored);
    }
    queue.clear();
  }
}

std::size_t upstream_pool::idle_count() const {
  std::size_t total = 0;
  for (const auto& [key, queue] : idle_) total += queue.size();
  return total;
}

}  // namespace varco::gateway
