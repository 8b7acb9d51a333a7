// Template definition of forward() (proxy.hpp); included by the .cpp files that instantiate it.
// The steps live in proxy_request.hpp (the request and its body) and proxy_response.hpp (the
// response head and the relay of each response shape).
#pragma once

#include "gateway/proxy.hpp"
#include "gateway/proxy_call.hpp"
#include "gateway/proxy_request.hpp"
#include "gateway/proxy_response.hpp"

#include <array>
#include <memory>
#include <tuple>
#include <utility>

namespace varco::gateway {

template <class ClientStream>
awaitable<proxy_outcome> forward(ClientStream& client, beast::flat_buffer& client_buffer,
                                 http::request_parser<http::empty_body>& client_parser,
                                 proxy_target& target, upstream_pool& pool,
                                 const proxy_limits& limits) {
  using namespace proxy_detail;
  const auto started = steady::now();
  forward_call<ClientStream> call{client,
                                  client_buffer,
                                  client_parser,
                                  target,
                                  pool,
                                  limits,
                                  *target.environment,
                                  client_parser.get().version(),
                                  limits.keep_alive && client_parser.keep_alive(),
                                  {}};

  request_plan plan = plan_request_body(call);
  if (plan.body_to_read) {
    if (!co_await read_small_body(call, plan)) co_return std::move(call.out);
  }

  // Connect (or reuse), send, read the response head; one retry on a fresh connection when a
  // pooled connection proves stale before anything of the response arrived. The steps of the
  // common exchange are awaited here, in this frame: each of them is one I/O operation, and a
  // coroutine of its own would cost a frame per request.
  upstream_connection_ptr up;
  upstream_response_head head;
  for (int attempt = 0; attempt < 2; ++attempt) {
    expect_response_head(call, head);
    auto connected =
        co_await pool.acquire(*target.upstream, call.env, attempt > 0 || target.websocket);
    if (!connected.connection) {
      fail(call.out, connect_failure_reason(connected.failure), connected.error);
      co_return std::move(call.out);
    }
    up = std::move(connected.connection);
    const bool retriable = up->reused && !plan.streamed;

    boost::system::error_code ec;
    if (plan.streamed) {
      const send_result sent = co_await stream_request(call, *up);
      if (sent.ec && sent.client_side) {
        close_upstream(*up);
        fail(call.out, client_body_failure(sent.ec), sent.ec);
        co_return std::move(call.out);
      }
      ec = sent.ec;
    } else {
      std::tie(ec, std::ignore) = co_await write_buffered_request(call, plan, *up);
    }
    if (!ec) {
      auto [read_ec, n] = co_await read_upstream(*up, call.env);
      ec = take_first_read(*up, read_ec, n);
      if (!ec && !take_response_head(call, *up, head, ec))
        ec = co_await read_rest_of_response_head(call, *up, head);
    }
    if (!ec) break;
    close_upstream(*up);
    up.reset();
    if (retriable && is_stale_connection_error(ec)) continue;
    fail(call.out, upstream_failure(ec), ec);
    co_return std::move(call.out);
  }
  call.out.upstream_latency =
      std::chrono::duration_cast<std::chrono::microseconds>(steady::now() - started);

  // Relay by the response's shape.
  if (head.scanned == scan_status::ready) {
    call.out.status = head.fast.status;
    if (!scanned_body_buffered(*up, head.fast)) {
      if (const auto ec = co_await read_rest_of_scanned_body(call, *up, head.fast)) {
        fail_before_response(call.out, *up, ec);
        co_return std::move(call.out);
      }
    }
    auto [ec, n] = co_await write_scanned_response(call, *up, head.fast);
    finish_scanned_response(call, up, head.fast, ec);
    co_return std::move(call.out);
  }
  auto& header_parser = *head.parsed;
  // A product never sets varco's own cookies (its session above all) in the user's browser.
  target.own_cookies->remove_set_cookies(header_parser.get().base());
  if (target.websocket && header_parser.get().result() == http::status::switching_protocols) {
    co_await relay_upgrade(call, *up, header_parser);
  } else if (const auto length = header_parser.content_length();
             header_parser.is_done() || (length && *length <= small_body_bytes)) {
    call.out.status = header_parser.get().result_int();
    buffered_response relay{std::move(header_parser)};
    beast::error_code ec;
    if (!take_buffered_body(relay, *up, ec))
      std::tie(ec, std::ignore) = co_await read_buffered_body(call.env, *up, relay);
    if (ec) {
      fail_before_response(call.out, *up, ec);
      co_return std::move(call.out);
    }
    auto [write_ec, n] = co_await write_buffered_response(call, relay);
    finish_buffered_response(call, up, relay, write_ec);
  } else {
    call.out.status = header_parser.get().result_int();
    streamed_response relay{std::move(header_parser)};
    if (auto [ec, n] = co_await write_streamed_head(call, relay); ec) {
      close_upstream(*up);
      fail(call.out, proxy_reason::client_aborted, ec);
      co_return std::move(call.out);
    }
    relay.chunk = std::make_unique<std::array<char, chunk_bytes>>();
    do {
      if (!relay.parser.is_done()) {
        auto [ec, n] = co_await read_streamed_chunk(call.env, *up, relay);
        if (ec == http::error::need_buffer) ec = {};
        if (ec) {
          close_upstream(*up);
          fail(call.out, proxy_reason::upstream_aborted, ec);
          co_return std::move(
              call.out);  // the client sees a truncated body and a closed connection
        }
        take_streamed_chunk(call, relay);
      } else {
        end_streamed_body(relay);
      }
      auto [ec, n] = co_await write_streamed_chunk(call, relay);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        close_upstream(*up);
        fail(call.out, proxy_reason::client_aborted, ec);
        co_return std::move(call.out);
      }
    } while (!relay.serializer->is_done());
    pool.release(std::move(up), relay.parser.keep_alive(), call.env.pool_size);
    call.out.client_keep_alive = call.keep_alive;
  }
  co_return std::move(call.out);
}

}  // namespace varco::gateway
