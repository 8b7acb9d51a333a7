// What the steps of forward() share: the one request being forwarded (its client side, target,
// pool and limits, and the outcome being filled in), and the mapping of errors to reason codes.
#pragma once

#include "gateway/proxy.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <string_view>

namespace varco::gateway::proxy_detail {

using steady = std::chrono::steady_clock;

// One forward() in progress. Lives in forward()'s frame; each step takes it by reference, so a
// step's own coroutine frame holds only what that step needs.
template <class ClientStream>
struct forward_call {
  ClientStream& client;
  beast::flat_buffer& client_buffer;
  http::request_parser<http::empty_body>& client_parser;
  proxy_target& target;
  upstream_pool& pool;
  const proxy_limits& limits;
  const conf::environment& env;
  const unsigned client_version;
  bool keep_alive;  // the client connection may stay open after this response
  proxy_outcome out;
};

inline bool is_stale_connection_error(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == http::error::partial_message;
}

inline std::string_view upstream_failure(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return proxy_reason::upstream_timeout;
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return proxy_reason::upstream_bad_response;
  return proxy_reason::upstream_unavailable;
}

inline std::string_view connect_failure_reason(connect_failure failure) {
  switch (failure) {
    case connect_failure::timeout:
      return proxy_reason::upstream_connect_timeout;
    case connect_failure::tls:
      return proxy_reason::upstream_tls_failed;
    default:
      return proxy_reason::upstream_unavailable;
  }
}

// Why reading the client's body failed: over body_bytes (413), framing that is not HTTP — a chunk
// size that is not hex, say — (400, the client is told), or the client gone or too slow (nobody
// to answer).
inline std::string_view client_body_failure(const boost::system::error_code& ec) {
  if (ec == http::error::body_limit) return proxy_reason::client_body_too_large;
  if (ec.category() == http::make_error_code(http::error::bad_chunk).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return proxy_reason::client_body_invalid;
  return proxy_reason::client_aborted;
}

// Records why the forward ended early.
inline void fail(proxy_outcome& out, std::string_view reason, const boost::system::error_code& ec) {
  out.failure = reason;
  out.error = ec;
}

inline std::string_view buffered_text(const beast::flat_buffer& buffer) {
  const auto bytes = buffer.data();
  return {static_cast<const char*>(bytes.data()), bytes.size()};
}

inline void close_upstream(upstream_connection& up) {
  boost::system::error_code ignored;
  up.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  up.stream.socket().close(ignored);
}

}  // namespace varco::gateway::proxy_detail
