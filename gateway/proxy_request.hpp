// The request half of forward(): how the client's body travels (read whole, or streamed), and
// sending the request on an upstream connection.
#pragma once

#include "gateway/proxy_call.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

namespace varco::gateway::proxy_detail {

// Where the request stands once its body has been read (buffered) or chosen to be streamed.
struct request_plan {
  bool streamed = false;      // body too large or unknown: streamed chunk by chunk, no retry
  bool body_to_read = false;  // buffered, and the body is still with the client
  std::string body;           // the whole body when buffered
};

// None or small and known → buffered (the request can be retried on a fresh connection if a
// pooled one turns out stale); otherwise streamed. A buffered request's head is complete now.
template <class ClientStream>
request_plan plan_request_body(forward_call<ClientStream>& call) {
  request_plan plan;
  const auto declared = call.client_parser.content_length();
  if (!call.client_parser.is_done() && (!declared || *declared > small_body_bytes)) {
    plan.streamed = true;
    return plan;
  }
  call.target.head += "\r\n";  // the client's Content-Length (if any) is among the fields
  plan.body_to_read = !call.client_parser.is_done();
  return plan;
}

// Reads a small body whole (plan.body_to_read). False, with the failure recorded, when the
// client's body could not be read.
template <class ClientStream>
awaitable<bool> read_small_body(forward_call<ClientStream>& call, request_plan& plan) {
  call.out.request_body_consumed = true;
  http::request_parser<http::string_body> body_parser{std::move(call.client_parser)};
  beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
  auto [ec, n] =
      co_await http::async_read(call.client, call.client_buffer, body_parser, use_nothrow);
  if (ec) {
    fail(call.out, client_body_failure(ec), ec);
    co_return false;
  }
  plan.body = std::move(body_parser.get().body());
  call.out.bytes_from_client = plan.body.size();
  co_return true;
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

// The outcome of sending: an error, and whether it came from the client's side (its body could
// not be read: nothing to retry) or the upstream's.
struct send_result {
  boost::system::error_code ec;
  bool client_side = false;
};

// Streams the client's body to the upstream chunk by chunk: as received with a Content-Length,
// re-chunked when the client sent it chunked (the parser has removed the client's framing).
template <class ClientStream>
awaitable<send_result> stream_request(forward_call<ClientStream>& call, upstream_connection& up) {
  call.out.request_body_consumed = true;
  auto& client_parser = call.client_parser;
  const conf::environment& env = call.env;
  std::string head = std::move(call.target.head);
  const bool chunked = client_parser.chunked();
  http::request_parser<http::buffer_body> body_parser{std::move(client_parser)};
  if (chunked) head += "Transfer-Encoding: chunked\r\n";
  head += "\r\n";
  up.stream.expires_after(env.response_timeout);
  if (auto [ec, n] = co_await asio::async_write(up.stream, asio::buffer(head), use_nothrow); ec)
    co_return send_result{ec, false};

  auto chunk = std::make_unique<std::array<char, chunk_bytes>>();
  while (!body_parser.is_done()) {
    body_parser.get().body().data = chunk->data();
    body_parser.get().body().size = chunk->size();
    beast::get_lowest_layer(call.client).expires_after(call.limits.client_io);
    auto [ec, n] =
        co_await http::async_read(call.client, call.client_buffer, body_parser, use_nothrow);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return send_result{ec, true};
    const std::size_t got = chunk->size() - body_parser.get().body().size;
    if (got == 0) continue;
    call.out.bytes_from_client += got;
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
    if (write_ec) co_return send_result{write_ec, false};
  }
  if (chunked) {
    up.stream.expires_after(env.response_timeout);
    auto [ec, n] = co_await asio::async_write(up.stream, asio::buffer(last_chunk), use_nothrow);
    if (ec) co_return send_result{ec, false};
  }
  co_return send_result{};
}

// Sends a buffered request: head and body in one gather write. A plain function returning the
// write's awaitable (no coroutine frame of its own on the hot path); the buffer sequence is copied
// into the operation, the bytes it points to live in the target and the plan.
template <class ClientStream>
auto write_buffered_request(forward_call<ClientStream>& call, const request_plan& plan,
                            upstream_connection& up) {
  up.stream.expires_after(call.env.response_timeout);
  const std::array<asio::const_buffer, 2> wire{asio::buffer(call.target.head),
                                               asio::buffer(plan.body)};
  return asio::async_write(up.stream, wire, use_nothrow);
}

}  // namespace varco::gateway::proxy_detail
