// Template definition of serve_connection(); see http_connection.hpp. The steps it takes for each
// request are in http_connection_steps.hpp; the forward to a product in proxy_impl.hpp.
#pragma once

#include "gateway/http_connection.hpp"
#include "gateway/http_connection_steps.hpp"
#include "gateway/proxy_impl.hpp"

#include <boost/asio/ssl/error.hpp>

#include <chrono>

namespace varco::gateway {

template <class Stream>
awaitable<void> serve_connection(Stream stream, client_info client, worker& owner) {
  using namespace connection_detail;
  using clock = std::chrono::steady_clock;

  auto runtime = owner.runtime().get();
  const conf::server* server = &runtime->config->server;
  auto& lowest = beast::get_lowest_layer(stream);
  auto registration = owner.connections().add([&lowest] {
    boost::system::error_code ignored;
    lowest.socket().cancel(ignored);
    lowest.socket().close(ignored);
  });
  struct unregister {
    worker& w;
    connection_registry::handle h;
    ~unregister() {
      w.connections().remove(h);
      w.connection_closed();
    }
  } unregister_on_exit{owner, registration};

  if constexpr (is_tls<Stream>) {
    lowest.expires_after(server->timeouts.header_read);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_nothrow);
    if (ec) co_return;
  }

  beast::flat_buffer buffer{server->limits.header_bytes + chunk_bytes};
  std::size_t pipelined = 0;
  bool first = true;
  bool unread_body = false;  // the last answer left the request's body unread: linger on close
  for (;;) {
    // 1. The next request: bytes already buffered are a pipelined request.
    owner.connections().mark_idle(registration);
    if (buffer.size() == 0) {
      if (owner.connections().draining()) break;
      pipelined = 0;
      auto [ec, n] = co_await read_next_request(stream, buffer, *server, first);
      if (ec) break;
      buffer.commit(n);
    } else {
      ++pipelined;
    }
    first = false;
    owner.connections().mark_busy(registration);
    request_exchange exchange;
    exchange.started = clock::now();
    runtime = owner.runtime().get();
    server = &runtime->config->server;

    // 2. Its head, within limits.header_bytes (for the whole header, all reads).
    http::request_parser<http::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(server->limits.header_bytes));
    // The body limit depends on the route: request_handler::decide() sets and checks it.
    parser.body_limit(boost::none);
    const std::size_t header_bytes = buffer.size();  // for the log: what the client sent so far
    beast::error_code read_ec;
    std::size_t header_left = server->limits.header_bytes;
    if (!parse_header_within(parser, buffer, header_left, read_ec) && !read_ec)
      read_ec = co_await read_rest_of_head(stream, buffer, parser, header_left, *server);
    if (read_ec == beast::error::timeout) {
      record_header_timeout(owner, client, exchange.started, header_bytes);
      co_return;
    }
    if (read_ec) {
      // Beast fills in the method and target once the whole request line has been parsed.
      // Whatever followed a refused header is still coming: linger.
      unread_body =
          co_await refuse_unreadable_head(stream, read_ec, !parser.get().target().empty(), owner,
                                          client, *server, exchange.started, header_bytes);
      break;
    }

    // 3. Dispatch: the handler decides without waiting when it can (no coroutine frame).
    exchange.version = parser.get().version();
    exchange.method = parser.get().method_string();
    exchange.keep_alive = parser.keep_alive() && !owner.connections().draining() &&
                          pipelined < server->limits.pipelined_requests;
    handler_result result;
    deferred_step rest;
    if (!owner.handler().decide(parser.get(), client, *runtime, result, rest))
      co_await owner.handler().complete(parser.get(), client, *runtime, result, rest);
    bool body_read = parser.is_done();
    if (result.wants_body && !result.response && !result.proxy) {
      // The gateway's own form endpoints: read the (small, capped) body, then decide.
      const auto outcome = co_await read_form_and_answer(
          stream, buffer, parser, result, owner, client, *runtime, *server, exchange.bytes_in);
      if (outcome == form_outcome::client_gone) {
        exchange_notes notes = std::move(result.notes);
        notes.reason = "client_aborted";
        owner.record(notes, client, exchange.method, 499, exchange.started, exchange.bytes_in, 0);
        break;
      }
      body_read = outcome == form_outcome::answered;
    }

    // 4. Answer: the gateway's own response, or the product's through the proxy.
    if (result.response) {
      auto& response = *result.response;
      prepare_own_response(response, result.notes, body_read, exchange, unread_body);
      lowest.expires_after(server->timeouts.body_read);
      auto [ec, n] = co_await http::async_write(stream, response, use_nothrow);
      exchange.bytes_out = response.body().size();
      if (ec) exchange.keep_alive = false;
    } else {
      if (result.expect_continue && !parser.is_done())
        co_await send_continue(stream, exchange.version, *server);
      // A chunked body is cut at the product limit as it streams (a declared one was checked).
      parser.body_limit(result.body_limit);
      const proxy_limits limits = proxy_limits_for(*server, exchange.keep_alive);
      const proxy_outcome outcome =
          co_await forward(stream, buffer, parser, *result.proxy, owner.upstreams(), limits);
      owner.return_head_buffer(std::move(result.proxy->head));
      owner.observe_upstream(result.notes, outcome.upstream_latency, outcome.status != 0);
      if (take_proxy_outcome(outcome, result.notes, exchange))
        co_await answer_proxy_failure(stream, owner, result.notes, outcome.failure, exchange,
                                      unread_body, *server);
    }

    // 5. Log, then keep the connection for the next request or close it.
    owner.record(result.notes, client, exchange.method, exchange.status, exchange.started,
                 exchange.bytes_in, exchange.bytes_out);
    if (!exchange.keep_alive) break;
  }
  registration->busy = false;
  co_await graceful_close(stream, buffer, std::chrono::seconds(2), unread_body);
}

}  // namespace varco::gateway
