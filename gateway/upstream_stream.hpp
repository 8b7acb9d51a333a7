// The connection to an upstream: plain TCP, or TLS over it for https:// upstreams. One type for
// both so the proxy code is written once; each operation dispatches on whether TLS is on. Timeouts
// live on the TCP layer (deadline_stream), underneath TLS, so they bound both.
#pragma once

#include "gateway/deadline_stream.hpp"
#include "gateway/http/asio_types.hpp"

#include <boost/asio/ssl/stream.hpp>

#include <optional>
#include <utility>

namespace varco::gateway {

class upstream_stream {
 public:
  using executor_type = asio::any_io_executor;
  using next_layer_type = deadline_stream;

  explicit upstream_stream(const asio::any_io_executor& executor) : tcp_(executor) {}
  upstream_stream(const upstream_stream&) = delete;
  upstream_stream& operator=(const upstream_stream&) = delete;

  executor_type get_executor() noexcept { return tcp_.get_executor(); }
  deadline_stream& next_layer() noexcept { return tcp_; }
  tcp::socket& socket() noexcept { return tcp_.socket(); }
  template <class Duration>
  void expires_after(Duration d) {
    tcp_.expires_after(d);
  }
  void expires_never() { tcp_.expires_never(); }

  // Switches to TLS (before the handshake); the context outlives the connection (pool-owned).
  asio::ssl::stream<deadline_stream&>& start_tls(asio::ssl::context& context) {
    return tls_.emplace(tcp_, context);
  }
  bool is_tls() const noexcept { return tls_.has_value(); }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    if (tls_) return tls_->async_read_some(buffers, std::forward<Token>(token));
    return tcp_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    if (tls_) return tls_->async_write_some(buffers, std::forward<Token>(token));
    return tcp_.async_write_some(buffers, std::forward<Token>(token));
  }

 private:
  deadline_stream tcp_;
  std::optional<asio::ssl::stream<deadline_stream&>> tls_;
};

}  // namespace varco::gateway
