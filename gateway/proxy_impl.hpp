// Template definitions of proxy.hpp; included by the .cpp files that instantiate forward().
#pragma once

#include "gateway/http/hop_by_hop.hpp"
#include "gateway/http/response_scan.hpp"
#include "gateway/http/wire_format.hpp"
#include "gateway/parse_buffered.hpp"
#include "gateway/proxy.hpp"
#include "gateway/websocket_tunnel.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <tuple>
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

inline std::string_view buffered_text(const beast::flat_buffer& buffer) {
  const auto bytes = buffer.data();
  return {static_cast<const char*>(bytes.data()), bytes.size()};
}

inline void close_upstream(upstream_connection& up) {
  boost::system::error_code ignored;
  up.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  up.stream.socket().close(ignored);
}

// Where the request stands once its body has been read (buffered) or chosen to be streamed.
struct request_plan {
  bool streamed = false;  // body too large or unknown: streamed chunk by chunk, no retry
  std::string body;       // the whole body when buffered
};

template <class ClientStream>
awaitable<boost::system::error_code> buffer_small_body(
    ClientStream& client, beast::flat_buffer& client_buffer,
    http::request_parser<http::empty_body>& client_parser, request_plan& plan,
    const proxy_limits& limits) {
  http::request_parser<http::string_body> body_parser{std::move(client_parser)};
  beast::get_lowest_layer(client).expires_after(limits.client_io);
  auto [ec, n] = co_await http::async_read(client, client_buffer, body_parser, use_nothrow);
  if (!ec) plan.body = std::move(body_parser.get().body());
  co_return ec;
}

// Framing bytes as named constants: GCC 12 has miscompiled string literals in braced lists inside
// coroutines (seen in the session module), so none appear there.
inline constexpr std::string_view crlf = "\r\n";
inline constexpr std::string_view last_chunk = "0\r\n\r\n";

inline std::string chunk_size_line(std::size_t size) {
  char line[24];
  const int n = std::snprintf(line, sizeof line, "%zx\r\n", size);
  return std::string(line, static_cast<std::size_t>(n));
}

// Streams the client's body to the upstream chunk by chunk: as received with a Content-Length,
// re-chunked when the client sent it chunked (the parser has removed the client's framing).
template <class ClientStream>
awaitable<std::pair<boost::system::error_code, bool /*client side*/>> stream_request(
    ClientStream& client, beast::flat_buffer& client_buffer,
    http::request_parser<http::empty_body>& client_parser, std::string head,
    upstream_connection& up, const conf::environment& env, const proxy_limits& limits,
    std::uint64_t& bytes_from_client) {
  const bool chunked = client_parser.chunked();
  http::request_parser<http::buffer_body> body_parser{std::move(client_parser)};
  if (chunked) head += "Transfer-Encoding: chunked\r\n";
  head += "\r\n";
  up.stream.expires_after(env.response_timeout);
  if (auto [ec, n] = co_await asio::async_write(up.stream, asio::buffer(head), use_nothrow); ec)
    co_return std::pair{ec, false};

  auto chunk = std::make_unique<std::array<char, chunk_bytes>>();
  while (!body_parser.is_done()) {
    body_parser.get().body().data = chunk->data();
    body_parser.get().body().size = chunk->size();
    beast::get_lowest_layer(client).expires_after(limits.client_io);
    auto [ec, n] = co_await http::async_read(client, client_buffer, body_parser, use_nothrow);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return std::pair{ec, true};
    const std::size_t got = chunk->size() - body_parser.get().body().size;
    if (got == 0) continue;
    bytes_from_client += got;
    up.stream.expires_after(env.response_timeout);
    boost::system::error_code write_ec;
    if (chunked) {
      const std::string size_line = chunk_size_line(got);
      const std::array<asio::const_buffer, 3> wire{
          asio::buffer(size_line), asio::buffer(chunk->data(), got), asio::buffer(crlf)};
      std::tie(write_ec, std::ignore) = co_await asio::async_write(up.stream, wire, use_nothrow);
    } else {
      std::tie(write_ec, std::ignore) =
          co_await asio::async_write(up.stream, asio::buffer(chunk->data(), got), use_nothrow);
    }
    if (write_ec) co_return std::pair{write_ec, false};
  }
  if (chunked) {
    up.stream.expires_after(env.response_timeout);
    auto [ec, n] = co_await asio::async_write(up.stream, asio::buffer(last_chunk), use_nothrow);
    if (ec) co_return std::pair{ec, false};
  }
  co_return std::pair{boost::system::error_code{}, false};
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
  const bool head_request = target.method == http::verb::head;

  // Decide how the body travels: none or small and known → buffered (the request can be retried
  // on a fresh connection if a pooled one turns out stale); otherwise streamed.
  request_plan plan;
  const auto declared = client_parser.content_length();
  if (!client_parser.is_done() && (!declared || *declared > small_body_bytes)) {
    plan.streamed = true;
  } else {
    target.head += "\r\n";  // the client's Content-Length (if any) is among the fields
    if (!client_parser.is_done()) {
      out.request_body_consumed = true;
      if (auto ec =
              co_await buffer_small_body(client, client_buffer, client_parser, plan, limits)) {
        out.failure = client_body_failure(ec);
        out.error = ec;
        co_return out;
      }
      out.bytes_from_client = plan.body.size();
    }
  }

  // Connect (or reuse) and send the request; one retry on a fresh connection when a pooled
  // connection proves stale before anything of the response arrived.
  upstream_connection_ptr up;
  std::optional<http::response_parser<http::empty_body>> parsed;
  const bool may_scan = !head_request && !target.websocket;
  scan_status scanned = scan_status::use_full_parser;
  scanned_response fast;
  for (int attempt = 0; attempt < 2; ++attempt) {
    parsed.emplace();
    parsed->header_limit(static_cast<std::uint32_t>(limits.response_header_bytes));
    parsed->body_limit(boost::none);
    if (head_request) parsed->skip(true);

    auto connected = co_await pool.acquire(url, env, attempt > 0 || target.websocket);
    if (!connected.connection) {
      out.failure =
          connected.failure == connect_failure::timeout ? proxy_reason::upstream_connect_timeout
          : connected.failure == connect_failure::tls   ? proxy_reason::upstream_tls_failed
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
          co_await stream_request(client, client_buffer, client_parser, std::move(target.head), *up,
                                  env, limits, out.bytes_from_client);
      if (stream_ec && client_side) {
        close_upstream(*up);
        out.failure = client_body_failure(stream_ec);
        out.error = stream_ec;
        co_return out;
      }
      ec = stream_ec;
    } else {
      up->stream.expires_after(env.response_timeout);
      const std::array<asio::const_buffer, 2> wire{asio::buffer(target.head),
                                                   asio::buffer(plan.body)};
      auto [write_ec, n] = co_await asio::async_write(up->stream, wire, use_nothrow);
      ec = write_ec;
    }
    if (!ec) {
      up->stream.expires_after(env.response_timeout);
      auto [read_ec, n] = co_await up->stream.async_read_some(
          up->buffer.prepare(up->buffer.capacity() - up->buffer.size() > 0
                                 ? up->buffer.capacity() - up->buffer.size()
                                 : 4096),
          use_nothrow);
      up->buffer.commit(n);
      ec = read_ec == asio::error::eof ? http::error::end_of_stream : read_ec;
      // The common response (a small Content-Length body, an ordinary head) is relayed from the
      // upstream's bytes as they are; anything else goes through Beast's parser below.
      scanned = scan_status::use_full_parser;
      if (!ec && may_scan) {
        for (;;) {
          scanned = scan_response_head(buffered_text(up->buffer), limits.response_header_bytes,
                                       keep_alive, client_version, *target.own_cookies, fast,
                                       up->client_head);
          if (scanned != scan_status::need_more) break;
          // No re-arming here: response_timeout bounds the whole header, from the request
          // written to the header complete. Re-arming per read let an upstream that dribbles its
          // header a byte at a time hold the request (and a worker's connection) for ever, and
          // answer 200 long after the client should have had its 504.
          auto [more_ec, more] =
              co_await up->stream.async_read_some(up->buffer.prepare(chunk_bytes), use_nothrow);
          if (more_ec) {
            ec = more_ec == asio::error::eof ? beast::error_code(http::error::partial_message)
                                             : more_ec;
            break;
          }
          up->buffer.commit(more);
        }
        if (scanned == scan_status::ready && fast.content_length > small_body_bytes)
          scanned = scan_status::use_full_parser;  // streamed in chunks by the general path
      }
      if (!ec && scanned != scan_status::ready && !parse_buffered(*parsed, up->buffer, false, ec) &&
          !ec) {
        std::tie(ec, std::ignore) =
            co_await http::async_read_header(up->stream, up->buffer, *parsed, use_nothrow);
      }
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

  if (scanned == scan_status::ready) {
    // Head understood, body small: wait for the rest of it, then one gather write of the
    // rewritten head and the body straight from the upstream's buffer.
    out.status = fast.status;
    const std::size_t total = fast.head_bytes + static_cast<std::size_t>(fast.content_length);
    while (up->buffer.size() < total) {
      up->stream.expires_after(env.response_timeout);
      auto [ec, n] = co_await up->stream.async_read_some(
          up->buffer.prepare(total - up->buffer.size()), use_nothrow);
      if (ec) {
        close_upstream(*up);
        out.status = 0;
        out.failure = upstream_failure(ec);
        out.error = ec;
        co_return out;
      }
      up->buffer.commit(n);
    }
    std::string& head = up->client_head;
    if (!fast.has_request_id) append_field(head, "X-Request-Id", target.request_id);
    head += "\r\n";
    out.response_started = true;
    beast::get_lowest_layer(client).expires_after(limits.client_io);
    const std::array<asio::const_buffer, 2> wire{
        asio::buffer(head),
        asio::buffer(buffered_text(up->buffer).substr(fast.head_bytes, fast.content_length))};
    auto [ec, n] = co_await asio::async_write(client, wire, use_nothrow);
    out.bytes_to_client = fast.content_length;
    up->buffer.consume(total);
    // Bytes after the announced body are not a response we asked for: do not reuse.
    const bool upstream_reusable = fast.upstream_keep_alive && up->buffer.size() == 0;
    pool.release(std::move(up), upstream_reusable, env.pool_size);
    if (ec) {
      out.failure = proxy_reason::client_aborted;
      out.error = ec;
      keep_alive = false;
    }
    out.client_keep_alive = keep_alive;
    co_return out;
  }

  auto& header_parser = *parsed;
  // A product never sets varco's own cookies (its session above all) in the user's browser.
  target.own_cookies->remove_set_cookies(header_parser.get().base());

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
    beast::error_code parse_ec;
    if (!parse_buffered(body_parser, up->buffer, true, parse_ec) && !body_parser.is_done()) {
      up->stream.expires_after(env.response_timeout);
      auto [ec, n] =
          parse_ec ? std::tuple<beast::error_code, std::size_t>{parse_ec, 0}
                   : co_await http::async_read(up->stream, up->buffer, body_parser, use_nothrow);
      if (ec) {
        close_upstream(*up);
        out.status = 0;
        out.failure = upstream_failure(ec);
        out.error = ec;
        co_return out;
      }
    }
    const bool upstream_reusable = body_parser.keep_alive();
    const auto& response = body_parser.get();
    std::string head = response_head(response.base(), keep_alive, client_version);
    if (response.find("X-Request-Id") == response.end())
      append_field(head, "X-Request-Id", target.request_id);
    head += "\r\n";
    out.response_started = true;
    beast::get_lowest_layer(client).expires_after(limits.client_io);
    const std::array<asio::const_buffer, 2> wire{asio::buffer(head), asio::buffer(response.body())};
    auto [ec, n] = co_await asio::async_write(client, wire, use_nothrow);
    out.bytes_to_client = response.body().size();
    pool.release(std::move(up), upstream_reusable, env.pool_size);
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
  if (response.find("X-Request-Id") == response.end())
    response.set("X-Request-Id", target.request_id);
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
