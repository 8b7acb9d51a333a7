// The response half of forward(): reading the upstream's response head, then relaying the
// response by its shape — scanned (the common small response, relayed from the upstream's bytes
// as they are), buffered (small, through Beast's parser), streamed (large or of unknown length)
// or upgraded (a WebSocket tunnel).
#pragma once

#include "gateway/http/hop_by_hop.hpp"
#include "gateway/http/response_scan.hpp"
#include "gateway/http/wire_format.hpp"
#include "gateway/parse_buffered.hpp"
#include "gateway/proxy_call.hpp"
#include "gateway/websocket_tunnel.hpp"

#include <array>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

namespace varco::gateway::proxy_detail {

// The upstream's response head: either understood by the scanner (`scanned == ready`, `fast`
// describes it and the connection's client_head holds the head for the client), or parsed by
// Beast into `parsed`.
struct upstream_response_head {
  std::optional<http::response_parser<http::empty_body>> parsed;
  scan_status scanned = scan_status::use_full_parser;
  scanned_response fast;
};

// Ready for a response head on this attempt: a fresh parser (used when the scanner is not).
template <class ClientStream>
void expect_response_head(const forward_call<ClientStream>& call, upstream_response_head& head) {
  auto& parsed = head.parsed.emplace();
  parsed.header_limit(static_cast<std::uint32_t>(call.limits.response_header_bytes));
  parsed.body_limit(boost::none);
  if (call.target.method == http::verb::head) parsed.skip(true);
  head.scanned = scan_status::use_full_parser;
}

// The first read of the response: what the upstream sent so far, into the free capacity of the
// connection's buffer. A plain function returning the read's awaitable (no coroutine frame of its
// own on the hot path); take_first_read() takes its result.
inline auto read_upstream(upstream_connection& up, const conf::environment& env) {
  up.stream.expires_after(env.response_timeout);
  const std::size_t room = up.buffer.capacity() - up.buffer.size();
  return up.stream.async_read_some(up.buffer.prepare(room > 0 ? room : 4096), use_nothrow);
}

inline boost::system::error_code take_first_read(upstream_connection& up,
                                                 const boost::system::error_code& read_ec,
                                                 std::size_t n) {
  up.buffer.commit(n);
  return read_ec == asio::error::eof ? http::error::end_of_stream : read_ec;
}

template <class ClientStream>
scan_status scan_buffered_head(const forward_call<ClientStream>& call, upstream_connection& up,
                               upstream_response_head& head) {
  return scan_response_head(buffered_text(up.buffer), call.limits.response_header_bytes,
                            call.keep_alive, call.client_version, *call.target.own_cookies,
                            head.fast, up.client_head);
}

// A head the scanner understood but whose body is over small_body_bytes is streamed in chunks by
// the streamed relay, through the parser.
inline void stream_large_scanned_bodies(upstream_response_head& head) {
  if (head.scanned == scan_status::ready && head.fast.content_length > small_body_bytes)
    head.scanned = scan_status::use_full_parser;
}

// Understands the head in the buffer after the first read. The common response (a small
// Content-Length body, an ordinary head) is left to the scanned relay; anything else goes through
// Beast's parser. True when the head is complete, or `ec` says why it cannot be; false when more
// must be read (read_rest_of_response_head()).
template <class ClientStream>
bool take_response_head(const forward_call<ClientStream>& call, upstream_connection& up,
                        upstream_response_head& head, boost::system::error_code& ec) {
  if (call.target.method != http::verb::head && !call.target.websocket) {
    head.scanned = scan_buffered_head(call, up, head);
    if (head.scanned == scan_status::need_more) return false;
    stream_large_scanned_bodies(head);
    if (head.scanned == scan_status::ready) return true;
  }
  return parse_buffered(*head.parsed, up.buffer, false, ec) || ec;
}

// Reads the rest of a head that did not come whole with the first read.
template <class ClientStream>
awaitable<boost::system::error_code> read_rest_of_response_head(
    const forward_call<ClientStream>& call, upstream_connection& up, upstream_response_head& head) {
  boost::system::error_code ec;
  if (head.scanned == scan_status::need_more) {
    while (head.scanned == scan_status::need_more) {
      // No re-arming here: response_timeout bounds the whole header, from the request written to
      // the header complete. Re-arming per read let an upstream that dribbles its header a byte
      // at a time hold the request (and a worker's connection) for ever, and answer 200 long
      // after the client should have had its 504.
      auto [more_ec, more] =
          co_await up.stream.async_read_some(up.buffer.prepare(chunk_bytes), use_nothrow);
      if (more_ec)
        co_return more_ec == asio::error::eof ? beast::error_code(http::error::partial_message)
                                              : more_ec;
      up.buffer.commit(more);
      head.scanned = scan_buffered_head(call, up, head);
    }
    stream_large_scanned_bodies(head);
    if (head.scanned == scan_status::ready) co_return ec;
    if (parse_buffered(*head.parsed, up.buffer, false, ec) || ec) co_return ec;
  }
  std::tie(ec, std::ignore) =
      co_await http::async_read_header(up.stream, up.buffer, *head.parsed, use_nothrow);
  co_return ec;
}

// The upstream failed before anything was sent to the client: the connection is closed and the
// caller answers with an error page.
inline void fail_before_response(proxy_outcome& out, upstream_connection& up,
                                 const boost::system::error_code& ec) {
  close_upstream(up);
  out.status = 0;
  fail(out, upstream_failure(ec), ec);
}

// The whole response went to the client (or the client went away while it did).
template <class ClientStream>
void finish_response(forward_call<ClientStream>& call, const boost::system::error_code& ec) {
  if (ec) {
    fail(call.out, proxy_reason::client_aborted, ec);
    call.keep_alive = false;
  }
  call.out.client_keep_alive = call.keep_alive;
}

// The scanned shape — head understood, body small — in three steps: the rest of the body when the
// first read did not bring it all, one gather write of the rewritten head and the body straight
// from the upstream's buffer, then the connection back to the pool.
inline bool scanned_body_buffered(const upstream_connection& up, const scanned_response& fast) {
  return up.buffer.size() >= fast.head_bytes + static_cast<std::size_t>(fast.content_length);
}

template <class ClientStream>
awaitable<boost::system::error_code> read_rest_of_scanned_body(forward_call<ClientStream>& call,
                                                               upstream_connection& up,
                                                               const scanned_response& fast) {
  const std::size_t total = fast.head_bytes + static_cast<std::size_t>(fast.content_length);
  while (up.buffer.size() < total) {
    up.stream.expires_after(call.env.response_timeout);
    auto [ec, n] = co_await up.stream.async_read_some(up.buffer.prepare(total - up.buffer.size()),
                                                      use_nothrow);
    if (ec) co_return ec;
    up.buffer.commit(n);
  }
  co_return boost::system::error_code{};
}

// A plain function returning the write's awaitable (no coroutine frame of its own on the hot
// path); the head is the connection's client_head, the body stays in its read buffer.
template <class ClientStream>
auto write_scanned_response(forward_call<ClientStream>& call, upstream_connection& up,
                            const scanned_response& fast) {
  std::string& head = up.client_head;
  if (!fast.has_request_id) append_field(head, "X-Request-Id", call.target.request_id);
  head += "\r\n";
  call.out.response_started = true;
  beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
  const std::array<asio::const_buffer, 2> wire{
      asio::buffer(head),
      asio::buffer(buffered_text(up.buffer).substr(fast.head_bytes, fast.content_length))};
  return asio::async_write(call.client, wire, use_nothrow);
}

template <class ClientStream>
void finish_scanned_response(forward_call<ClientStream>& call, upstream_connection_ptr& up,
                             const scanned_response& fast, const boost::system::error_code& ec) {
  call.out.bytes_to_client = fast.content_length;
  up->buffer.consume(fast.head_bytes + static_cast<std::size_t>(fast.content_length));
  // Bytes after the announced body are not a response we asked for: do not reuse.
  const bool upstream_reusable = fast.upstream_keep_alive && up->buffer.size() == 0;
  call.pool.release(std::move(up), upstream_reusable, call.env.pool_size);
  finish_response(call, ec);
}

// WebSocket: the upstream agreed to switch protocols → relay bytes both ways until one side ends.
template <class ClientStream>
awaitable<void> relay_upgrade(forward_call<ClientStream>& call, upstream_connection& up,
                              http::response_parser<http::empty_body>& header_parser) {
  http::response<http::empty_body> switching{std::move(header_parser.get().base())};
  beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
  auto [ec, n] = co_await http::async_write(call.client, switching, use_nothrow);
  call.out.status = 101;
  call.out.response_started = true;
  call.out.client_keep_alive = false;
  if (!ec)
    co_await tunnel(call.client, call.client_buffer, up.stream, up.buffer, call.limits.tunnel_idle);
  close_upstream(up);
}

// The buffered shape — small or empty, through Beast's parser — in three steps: the body read
// whole (bounded) unless it came with the head, the head re-serialised flat and written with the
// body in one gather write, the connection back to the pool. The parser and the head live in
// forward()'s frame; the steps that wait are plain functions returning one operation's awaitable.
struct buffered_response {
  explicit buffered_response(http::response_parser<http::empty_body>&& header)
      : parser(std::move(header)) {}
  http::response_parser<http::string_body> parser;
  std::string head;  // the head for the client
};

// True when the body is whole in the buffer, or `ec` says why it cannot be read; false when it
// must be read (read_buffered_body()).
inline bool take_buffered_body(buffered_response& relay, upstream_connection& up,
                               beast::error_code& ec) {
  return parse_buffered(relay.parser, up.buffer, true, ec) || relay.parser.is_done() || ec;
}

inline auto read_buffered_body(const conf::environment& env, upstream_connection& up,
                               buffered_response& relay) {
  up.stream.expires_after(env.response_timeout);
  return http::async_read(up.stream, up.buffer, relay.parser, use_nothrow);
}

template <class ClientStream>
auto write_buffered_response(forward_call<ClientStream>& call, buffered_response& relay) {
  const auto& response = relay.parser.get();
  relay.head = response_head(response.base(), call.keep_alive, call.client_version);
  if (response.find("X-Request-Id") == response.end())
    append_field(relay.head, "X-Request-Id", call.target.request_id);
  relay.head += "\r\n";
  call.out.response_started = true;
  beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
  const std::array<asio::const_buffer, 2> wire{asio::buffer(relay.head),
                                               asio::buffer(response.body())};
  return asio::async_write(call.client, wire, use_nothrow);
}

template <class ClientStream>
void finish_buffered_response(forward_call<ClientStream>& call, upstream_connection_ptr& up,
                              const buffered_response& relay, const boost::system::error_code& ec) {
  call.out.bytes_to_client = relay.parser.get().body().size();
  call.pool.release(std::move(up), relay.parser.keep_alive(), call.env.pool_size);
  finish_response(call, ec);
}

// The streamed shape — large or of unknown length — chunk by chunk, the next chunk read only once
// the previous one is written. Once the head is out, a failure can only cut the body and close the
// connection. The parser, serializer and chunk live in forward()'s frame; the steps that wait are
// plain functions returning one operation's awaitable.
struct streamed_response {
  explicit streamed_response(http::response_parser<http::empty_body>&& header)
      : length_known(header.content_length().has_value()), parser(std::move(header)) {}
  bool length_known;
  http::response_parser<http::buffer_body> parser;
  std::optional<http::response_serializer<http::buffer_body>> serializer;
  std::unique_ptr<std::array<char, chunk_bytes>> chunk;
};

// The head for the client: hop-by-hop fields removed, chunked for an HTTP/1.1 client when the
// length is unknown (an HTTP/1.0 client gets the body up to the close), then written.
template <class ClientStream>
auto write_streamed_head(forward_call<ClientStream>& call, streamed_response& relay) {
  auto& response = relay.parser.get();
  remove_hop_by_hop(response.base());
  if (!relay.length_known) {
    if (call.client_version >= 11)
      response.chunked(true);
    else
      call.keep_alive = false;  // HTTP/1.0 client: the end of the body is the end of the connection
  }
  response.version(call.client_version);
  response.keep_alive(call.keep_alive);
  if (response.find("X-Request-Id") == response.end())
    response.set("X-Request-Id", call.target.request_id);
  response.body().data = nullptr;
  response.body().more = true;
  auto& serializer = relay.serializer.emplace(response);
  call.out.response_started = true;
  beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
  return http::async_write_header(call.client, serializer, use_nothrow);
}

inline auto read_streamed_chunk(const conf::environment& env, upstream_connection& up,
                                streamed_response& relay) {
  auto& body = relay.parser.get().body();
  body.data = relay.chunk->data();
  body.size = relay.chunk->size();
  up.stream.expires_after(env.response_timeout);
  return http::async_read(up.stream, up.buffer, relay.parser, use_nothrow);
}

// What the last read brought goes out next (the last chunk when the body is complete).
template <class ClientStream>
void take_streamed_chunk(forward_call<ClientStream>& call, streamed_response& relay) {
  auto& body = relay.parser.get().body();
  const std::size_t got = relay.chunk->size() - body.size;
  call.out.bytes_to_client += got;
  body.data = relay.chunk->data();
  body.size = got;
  body.more = !relay.parser.is_done();
}

inline void end_streamed_body(streamed_response& relay) {
  auto& body = relay.parser.get().body();
  body.data = nullptr;
  body.size = 0;
  body.more = false;
}

template <class ClientStream>
auto write_streamed_chunk(forward_call<ClientStream>& call, streamed_response& relay) {
  beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
  return http::async_write(call.client, *relay.serializer, use_nothrow);
}

}  // namespace varco::gateway::proxy_detail
