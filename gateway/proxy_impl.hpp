// Template definitions of proxy.hpp; included by the .cpp files that instantiate forward().
#pragma once

#include "gateway/http/hop_by_hop.hpp"
#include "gateway/proxy.hpp"
#include "gateway/websocket_tunnel.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <memory>
#include <optional>
#include <utility>

namespace varco::gateway {
namespace proxy_detail {

using steady = std::chrono::steady_clock;

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

inline void close_upstream(upstream_connection& up) {
  boost::system::error_code ignored;
  up.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  up.stream.socket().close(ignored);
}

// Where the request stands once its body has been read (buffered) or chosen to be streamed.
struct request_plan {
  bool streamed = false;  // body too large or unknown: streamed chunk by chunk, no retry
  http::request<http::string_body> buffered;
};

template <class ClientStream>
awaitable<boost::system::error_code> buffer_small_body(
    ClientStream& client, beast::flat_buffer& client_buffer,
    http::request_parser<http::empty_body>& client_parser, request_plan& plan,
    const proxy_limits& limits) {
  http::request_parser<http::string_body> body_parser{std::move(client_parser)};
  beast::get_lowest_layer(client).expires_after(limits.client_io);
  auto [ec, n] = co_await http::async_read(client, client_buffer, body_parser, use_nothrow);
  if (!ec) plan.buffered.body() = std::move(body_parser.get().body());
  co_return ec;
}

// Streams the client's body to the upstream in chunks. The header has been prepared already.
template <class ClientStream>
awaitable<std::pair<boost::system::error_code, bool /*client side*/>> stream_request(
    ClientStream& client, beast::flat_buffer& client_buffer,
    http::request_parser<http::empty_body>& client_parser, http::request_header<> header,
    upstream_connection& up, const conf::environment& env, const proxy_limits& limits,
    std::uint64_t& bytes_from_client) {
  http::request_parser<http::buffer_body> body_parser{std::move(client_parser)};
  http::request<http::buffer_body> upstream_request{std::move(header)};
  if (body_parser.chunked()) upstream_request.chunked(true);
  upstream_request.body().data = nullptr;
  upstream_request.body().more = true;
  http::request_serializer<http::buffer_body> serializer{upstream_request};

  up.stream.expires_after(env.response_timeout);
  if (auto [ec, n] = co_await http::async_write_header(up.stream, serializer, use_nothrow); ec)
    co_return std::pair{ec, false};

  auto chunk = std::make_unique<std::array<char, chunk_bytes>>();
  do {
    if (!body_parser.is_done()) {
      body_parser.get().body().data = chunk->data();
      body_parser.get().body().size = chunk->size();
      beast::get_lowest_layer(client).expires_after(limits.client_io);
      auto [ec, n] = co_await http::async_read(client, client_buffer, body_parser, use_nothrow);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) co_return std::pair{ec, true};
      const std::size_t got = chunk->size() - body_parser.get().body().size;
      bytes_from_client += got;
      upstream_request.body().data = chunk->data();
      upstream_request.body().size = got;
      upstream_request.body().more = !body_parser.is_done();
    } else {
      upstream_request.body().data = nullptr;
      upstream_request.body().size = 0;
      upstream_request.body().more = false;
    }
    up.stream.expires_after(env.response_timeout);
    auto [ec, n] = co_await http::async_write(up.stream, serializer, use_nothrow);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return std::pair{ec, false};
  } while (!serializer.is_done());
  co_return std::pair{boost::system::error_code{}, false};
}

// Response header adjustments common to both paths.
template <class Body>
void prepare_client_response(http::response<Body>& response, unsigned client_version,
                             bool keep_alive) {
  remove_hop_by_hop(response.base());
  response.version(client_version);
  response.keep_alive(keep_alive);
}

}  // namespace proxy_detail

template <class ClientStream>
awaitable<proxy_outcome> forward(ClientStream& client, beast::flat_buffer& client_buffer,
                                 http::request_parser<http::empty_body>& client_parser,
                                 proxy_target& target, upstream_pool& pool,
                                 const proxy_limits& limits) {
  using namespace proxy_detail;
  proxy_outcome out;
  const conf::environment& env = *target.environment;
  const conf::upstream_url& url = *target.upstream;
  const auto started = steady::now();
  const unsigned client_version = client_parser.get().version();
  bool keep_alive = limits.keep_alive && client_parser.keep_alive();
  const bool head_request = target.header.method() == http::verb::head;

  // Decide how the body travels: none or small and known → buffered (the request can be retried
  // on a fresh connection if a pooled one turns out stale); otherwise streamed.
  request_plan plan;
  const auto declared = client_parser.content_length();
  if (!client_parser.is_done() && (!declared || *declared > small_body_bytes)) {
    plan.streamed = true;
  } else {
    plan.buffered = http::request<http::string_body>{std::move(target.header)};
    if (!client_parser.is_done()) {
      out.request_body_consumed = true;
      if (auto ec =
              co_await buffer_small_body(client, client_buffer, client_parser, plan, limits)) {
        out.failure = ec == http::error::body_limit ? proxy_reason::client_body_too_large
                                                    : proxy_reason::client_aborted;
        out.error = ec;
        co_return out;
      }
      out.bytes_from_client = plan.buffered.body().size();
    }
  }

  // Connect (or reuse) and send the request; one retry on a fresh connection when a pooled
  // connection proves stale before anything of the response arrived.
  upstream_connection_ptr up;
  std::optional<http::response_parser<http::empty_body>> parsed;
  for (int attempt = 0; attempt < 2; ++attempt) {
    parsed.emplace();
    parsed->header_limit(static_cast<std::uint32_t>(limits.response_header_bytes));
    parsed->body_limit(boost::none);
    if (head_request) parsed->skip(true);

    auto connected = co_await pool.acquire(url, env, attempt > 0 || target.websocket);
    if (!connected.connection) {
      out.failure = connected.failure == connect_failure::timeout
                        ? proxy_reason::upstream_connect_timeout
                        : proxy_reason::upstream_unavailable;
      out.error = connected.error;
      co_return out;
    }
    up = std::move(connected.connection);
    const bool retriable = up->reused && !plan.streamed;

    boost::system::error_code ec;
    if (plan.streamed) {
      out.request_body_consumed = true;
      auto [stream_ec, client_side] =
          co_await stream_request(client, client_buffer, client_parser, std::move(target.header),
                                  *up, env, limits, out.bytes_from_client);
      if (stream_ec && client_side) {
        close_upstream(*up);
        out.failure = stream_ec == http::error::body_limit ? proxy_reason::client_body_too_large
                                                           : proxy_reason::client_aborted;
        out.error = stream_ec;
        co_return out;
      }
      ec = stream_ec;
    } else {
      up->stream.expires_after(env.response_timeout);
      auto [write_ec, n] = co_await http::async_write(up->stream, plan.buffered, use_nothrow);
      ec = write_ec;
    }
    if (!ec) {
      up->stream.expires_after(env.response_timeout);
      auto [read_ec, n] =
          co_await http::async_read_header(up->stream, up->buffer, *parsed, use_nothrow);
      ec = read_ec;
    }
    if (!ec) break;
    close_upstream(*up);
    up.reset();
    if (retriable && is_stale_connection_error(ec)) continue;
    out.failure = upstream_failure(ec);
    out.error = ec;
    co_return out;
  }
  out.upstream_latency =
      std::chrono::duration_cast<std::chrono::microseconds>(steady::now() - started);
  auto& header_parser = *parsed;

  // WebSocket: the upstream agreed to switch protocols → relay bytes both ways until one side ends.
  if (target.websocket && header_parser.get().result() == http::status::switching_protocols) {
    http::response<http::empty_body> switching{std::move(header_parser.get().base())};
    beast::get_lowest_layer(client).expires_after(limits.client_io);
    auto [ec, n] = co_await http::async_write(client, switching, use_nothrow);
    out.status = 101;
    out.response_started = true;
    out.client_keep_alive = false;
    if (!ec) co_await tunnel(client, client_buffer, up->stream, up->buffer, limits.tunnel_idle);
    close_upstream(*up);
    co_return out;
  }

  const auto body_length = header_parser.content_length();
  out.status = header_parser.get().result_int();
  if (header_parser.is_done() || (body_length && *body_length <= small_body_bytes)) {
    // Small or empty: read it whole (bounded), then answer in one write.
    http::response_parser<http::string_body> body_parser{std::move(header_parser)};
    if (!body_parser.is_done()) {
      up->stream.expires_after(env.response_timeout);
      auto [ec, n] = co_await http::async_read(up->stream, up->buffer, body_parser, use_nothrow);
      if (ec) {
        close_upstream(*up);
        out.status = 0;
        out.failure = upstream_failure(ec);
        out.error = ec;
        co_return out;
      }
    }
    const bool upstream_reusable = body_parser.keep_alive();
    auto response = body_parser.release();
    prepare_client_response(response, client_version, keep_alive);
    pool.release(std::move(up), upstream_reusable, env.pool_size);
    out.response_started = true;
    beast::get_lowest_layer(client).expires_after(limits.client_io);
    auto [ec, n] = co_await http::async_write(client, response, use_nothrow);
    out.bytes_to_client = response.body().size();
    if (ec) {
      out.failure = proxy_reason::client_aborted;
      out.error = ec;
      keep_alive = false;
    }
    out.client_keep_alive = keep_alive;
    co_return out;
  }

  // Large or unknown length: stream chunk by chunk.
  http::response_parser<http::buffer_body> body_parser{std::move(header_parser)};
  auto& response = body_parser.get();
  const bool length_known = body_length.has_value();
  remove_hop_by_hop(response.base());
  if (!length_known) {
    if (client_version >= 11)
      response.chunked(true);
    else
      keep_alive = false;  // HTTP/1.0 client: the end of the body is the end of the connection
  }
  response.version(client_version);
  response.keep_alive(keep_alive);
  response.body().data = nullptr;
  response.body().more = true;
  http::response_serializer<http::buffer_body> serializer{response};
  out.response_started = true;
  beast::get_lowest_layer(client).expires_after(limits.client_io);
  if (auto [ec, n] = co_await http::async_write_header(client, serializer, use_nothrow); ec) {
    close_upstream(*up);
    out.failure = proxy_reason::client_aborted;
    out.error = ec;
    co_return out;
  }
  auto chunk = std::make_unique<std::array<char, chunk_bytes>>();
  do {
    if (!body_parser.is_done()) {
      response.body().data = chunk->data();
      response.body().size = chunk->size();
      up->stream.expires_after(env.response_timeout);
      auto [ec, n] = co_await http::async_read(up->stream, up->buffer, body_parser, use_nothrow);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        close_upstream(*up);
        out.failure = proxy_reason::upstream_aborted;
        out.error = ec;
        co_return out;  // the client sees a truncated body and a closed connection
      }
      const std::size_t got = chunk->size() - response.body().size;
      out.bytes_to_client += got;
      response.body().data = chunk->data();
      response.body().size = got;
      response.body().more = !body_parser.is_done();
    } else {
      response.body().data = nullptr;
      response.body().size = 0;
      response.body().more = false;
    }
    beast::get_lowest_layer(client).expires_after(limits.client_io);
    auto [ec, n] = co_await http::async_write(client, serializer, use_nothrow);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      close_upstream(*up);
      out.failure = proxy_reason::client_aborted;
      out.error = ec;
      co_return out;
    }
  } while (!serializer.is_done());
  pool.release(std::move(up), body_parser.keep_alive(), env.pool_size);
  out.client_keep_alive = keep_alive;
  co_return out;
}

}  // namespace varco::gateway
