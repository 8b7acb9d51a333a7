// Forwards one request to an upstream and streams the response back.
//
// Bodies are never buffered whole: small bodies with a known length (≤ small_body_bytes) move in
// one piece, everything else in chunks of chunk_bytes with backpressure on both sides (the next
// chunk is read only once the previous one is written). Templated on the client stream so the
// plain and TLS listeners share it.
#pragma once

#include "conf/config.hpp"
#include "gateway/endpoint/proxy_target.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/http/gateway_cookies.hpp"
#include "gateway/upstream_pool.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace varco::gateway {

struct proxy_outcome {
  unsigned status = 0;            // status sent to the client; 0 when none was sent
  bool response_started = false;  // once true, errors can only close the connection
  bool request_body_consumed = false;
  std::string_view failure;  // reason code when the proxy could not complete
  bool client_keep_alive = false;
  std::uint64_t bytes_from_client = 0;
  std::uint64_t bytes_to_client = 0;
  std::chrono::microseconds upstream_latency{0};  // connect + until the response header
  boost::system::error_code error;
};

namespace proxy_reason {
inline constexpr std::string_view upstream_unavailable = "upstream_unavailable";  // refused, reset
inline constexpr std::string_view upstream_connect_timeout = "upstream_connect_timeout";
inline constexpr std::string_view upstream_tls_failed = "upstream_tls_failed";  // handshake, cert
inline constexpr std::string_view upstream_timeout = "upstream_timeout";
inline constexpr std::string_view upstream_bad_response = "upstream_bad_response";
inline constexpr std::string_view upstream_aborted = "upstream_aborted";  // after response started
inline constexpr std::string_view client_aborted = "client_aborted";
inline constexpr std::string_view client_body_invalid = "client_body_invalid";
inline constexpr std::string_view client_body_too_large = "client_body_too_large";
}  // namespace proxy_reason

// The status of the page answering a failure before anything of the response was sent: the
// client's body over the limit 413, not HTTP 400; no header in time 504; anything else of the
// upstream's (refused, reset, closed early, TLS, not HTTP) 502. client_aborted has nobody to
// answer.
inline unsigned failure_status(std::string_view failure) {
  struct reason_status {
    std::string_view reason;
    unsigned status;
  };
  static constexpr std::array<reason_status, 4> table{{
      {proxy_reason::client_body_too_large, 413},
      {proxy_reason::client_body_invalid, 400},
      {proxy_reason::upstream_timeout, 504},
      {proxy_reason::upstream_connect_timeout, 504},
  }};
  for (const auto& entry : table)
    if (entry.reason == failure) return entry.status;
  return 502;
}

struct proxy_limits {
  std::chrono::milliseconds client_io;  // per read/write of a body chunk with the client
  std::size_t response_header_bytes = 64 * 1024;
  bool keep_alive = true;  // the client connection may stay open after this response
  std::chrono::milliseconds tunnel_idle{std::chrono::minutes(10)};
};

inline constexpr std::size_t small_body_bytes = 64 * 1024;
inline constexpr std::size_t chunk_bytes = 16 * 1024;

template <class ClientStream>
awaitable<proxy_outcome> forward(ClientStream& client, beast::flat_buffer& client_buffer,
                                 http::request_parser<http::empty_body>& client_parser,
                                 proxy_target& target, upstream_pool& pool,
                                 const proxy_limits& limits);

}  // namespace varco::gateway
