// Template definition of serve_connection(); see http_connection.hpp.
#pragma once

#include "gateway/http/gzip_page.hpp"
#include "gateway/http_connection.hpp"
#include "gateway/parse_buffered.hpp"
#include "gateway/proxy_impl.hpp"
#include "gateway/request_handler.hpp"
#include "gateway/worker.hpp"

#include <boost/asio/ssl/error.hpp>

#include <chrono>
#include <tuple>
#include <type_traits>

namespace varco::gateway {
namespace connection_detail {

template <class Stream>
inline constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

template <class Stream>
void close_now(Stream& stream) {
  boost::system::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream).socket().close(ignored);
}

// How long, and how many bytes, a connection closing with a request body still unread keeps
// reading (and dropping) before it closes: see graceful_close().
inline constexpr std::chrono::milliseconds linger_time{2000};
inline constexpr std::size_t linger_bytes = 1024 * 1024;

// Closes the connection. With `unread_body` (the last answer went out before the request's body
// was read: refused over a cap, or never wanted), the client may still be sending that body, and
// closing a socket with unread bytes makes the kernel answer with RST, which can destroy the answer
// before the client reads it. So, like nginx's lingering close, varco first stops sending and
// drops what still arrives, until the client closes, linger_time passes or linger_bytes came: the
// connection costs its read buffer (already allocated) for at most two seconds, never more memory.
template <class Stream>
awaitable<void> graceful_close(Stream& stream, beast::flat_buffer& buffer,
                               std::chrono::milliseconds deadline, bool unread_body) {
  auto& lowest = beast::get_lowest_layer(stream);
  if constexpr (is_tls<Stream>) {
    lowest.expires_after(deadline);
    co_await stream.async_shutdown(use_nothrow);
  }
  boost::system::error_code ignored;
  lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_body && lowest.socket().is_open()) {
    const auto until = std::chrono::steady_clock::now() + linger_time;
    std::size_t dropped = 0;
    buffer.clear();
    while (dropped < linger_bytes) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left <= std::chrono::milliseconds::zero()) break;
      lowest.expires_after(left);
      // The raw socket, also under TLS: after close_notify only bytes to drop can come.
      auto [ec, n] = co_await lowest.async_read_some(buffer.prepare(chunk_bytes), use_nothrow);
      if (ec) break;
      dropped += n;
    }
  }
  lowest.socket().close(ignored);
}

// Maps a failed header read to the answer the client gets (0 = close silently). A request line
// that alone fills the header budget (its target never ended) is a URI too long: 414, as RFC 9112
// section 3 requires, rather than 431, which would send the user looking at their cookies.
inline std::pair<unsigned, std::string_view> header_read_failure(
    const boost::system::error_code& ec, bool request_line_read) {
  if (ec == http::error::header_limit)
    return request_line_read ? std::pair<unsigned, std::string_view>{431, "header_too_large"}
                             : std::pair<unsigned, std::string_view>{414, "uri_too_long"};
  if (ec == make_error_code(request_head_errc::folded_line)) return {400, "obs_fold"};
  if (ec == http::error::body_limit) return {413, "body_too_large"};
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
      ec == http::error::partial_message)
    return {0, "client_closed"};
  if (ec.category() == http::make_error_code(http::error::bad_method).category())
    return {400, "bad_request"};
  return {0, "client_error"};
}

enum class form_outcome { answered, refused, client_gone };

// The body of a form posted to one of the gateway's own endpoints (handler_result::wants_body):
// read whole, capped at handler_result::body_limit, then handed to the handler. Consumes `parser`
// (its header moves into a string-body parser), so the caller must not use it afterwards; `result`
// always holds a response unless the client went away.
template <class Stream>
awaitable<form_outcome> read_form_and_answer(Stream& stream, beast::flat_buffer& buffer,
                                             http::request_parser<http::empty_body>& parser,
                                             handler_result& result, worker& owner,
                                             const client_info& client, const runtime& current,
                                             const conf::server& server, std::uint64_t& bytes_in) {
  auto& lowest = beast::get_lowest_layer(stream);
  if (result.expect_continue && !parser.is_done()) {
    http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
    lowest.expires_after(server.timeouts.body_read);
    co_await http::async_write(stream, go_on, use_nothrow);
  }
  http::request_parser<http::string_body> body_parser(std::move(parser));
  // request_handler::decide() already refused a declared length over the cap, so a string body
  // reserves at most the cap; a chunked body is cut at it, chunk by chunk.
  body_parser.body_limit(result.body_limit);
  lowest.expires_after(server.timeouts.body_read);
  auto [ec, n] = co_await http::async_read(stream, buffer, body_parser, use_nothrow);
  bytes_in = n;
  if (ec == http::error::body_limit) {
    result = owner.handler().refuse_form(std::move(result), 413, "body_too_large");
    co_return form_outcome::refused;
  }
  if (ec) co_return form_outcome::client_gone;
  result =
      co_await owner.handler().handle_body(body_parser.get(), client, current, std::move(result));
  co_return form_outcome::answered;
}

}  // namespace connection_detail

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
    owner.connections().mark_idle(registration);
    // Wait for the first byte of the next request: the keep-alive idle timeout applies until it
    // comes (the header read timeout starts then). Bytes already buffered are a pipelined request.
    if (buffer.size() == 0) {
      if (owner.connections().draining()) break;
      pipelined = 0;
      lowest.expires_after(first ? server->timeouts.header_read : server->timeouts.idle_keep_alive);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_nothrow);
      if (ec) break;
      buffer.commit(n);
    } else {
      ++pipelined;
    }
    first = false;
    owner.connections().mark_busy(registration);
    const auto started = clock::now();
    runtime = owner.runtime().get();
    server = &runtime->config->server;

    http::request_parser<http::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(server->limits.header_bytes));
    // The body limit depends on the route: request_handler::decide() sets and checks it.
    parser.body_limit(boost::none);
    const std::size_t buffered_before = buffer.size();
    beast::error_code read_ec;
    std::size_t header_left = server->limits.header_bytes;  // for the whole header, all reads
    if (!parse_header_within(parser, buffer, header_left, read_ec) && !read_ec) {
      lowest.expires_after(server->timeouts.header_read);
      do {
        // What stays buffered is under header_left, so this never exceeds the buffer's limit.
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(chunk_bytes), use_nothrow);
        if (ec) {
          read_ec = ec == asio::error::eof ? beast::error_code(http::error::partial_message) : ec;
          break;
        }
        buffer.commit(n);
      } while (!parse_header_within(parser, buffer, header_left, read_ec) && !read_ec);
    }
    const std::size_t header_bytes = buffered_before;  // for the log: what the client sent so far
    if (read_ec) {
      if (read_ec == beast::error::timeout) {
        // Slow or stalled header (slowloris): the stream closed itself on the timeout, so there is
        // no answer to send (nginx does the same); logged as 408.
        exchange_notes notes;
        notes.reason = "header_timeout";
        owner.record(notes, client, "-", 408, started, header_bytes, 0);
        co_return;
      }
      // Beast fills in the method and target once the whole request line has been parsed.
      auto [status, reason] = header_read_failure(read_ec, !parser.get().target().empty());
      if (status == 0) break;
      exchange_notes notes;
      notes.reason = reason;
      notes.request_id = owner.new_request_id();
      auto response = owner.handler().error_response(status, reason, {}, false, notes.request_id);
      response.keep_alive(false);
      lowest.expires_after(server->timeouts.body_read);
      co_await http::async_write(stream, response, use_nothrow);
      owner.record(notes, client, "-", status, started, header_bytes, response.body().size());
      unread_body = true;  // whatever followed the refused header is still coming
      break;
    }

    // The proxy may consume the parser (moved into a body parser): keep what the log needs.
    const unsigned version = parser.get().version();
    const std::string method{parser.get().method_string()};
    bool keep_alive = parser.keep_alive() && !owner.connections().draining() &&
                      pipelined < server->limits.pipelined_requests;
    handler_result result;
    deferred_step rest;
    if (!owner.handler().decide(parser.get(), client, *runtime, result, rest))
      co_await owner.handler().complete(parser.get(), client, *runtime, result, rest);
    unsigned status = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    bool body_read = parser.is_done();

    if (result.wants_body && !result.response && !result.proxy) {
      // The gateway's own form endpoints: read the (small, capped) body, then decide.
      const auto outcome = co_await read_form_and_answer(stream, buffer, parser, result, owner,
                                                         client, *runtime, *server, bytes_in);
      if (outcome == form_outcome::client_gone) {
        exchange_notes notes = std::move(result.notes);
        notes.reason = "client_aborted";
        owner.record(notes, client, method, 499, started, bytes_in, 0);
        break;
      }
      body_read = outcome == form_outcome::answered;
    }

    if (result.response) {
      auto& response = *result.response;
      // A body we did not read cannot be skipped reliably: answer, then close.
      if (!body_read) {
        keep_alive = false;
        unread_body = true;
      }
      response.version(version);
      response.keep_alive(keep_alive);
      // varco's own pages go compressed to a browser that accepts it (not a HEAD: its
      // Content-Length must stay the GET's).
      if (result.notes.accepts_gzip && method != "HEAD") gzip_page(response);
      status = response.result_int();
      lowest.expires_after(server->timeouts.body_read);
      auto [ec, n] = co_await http::async_write(stream, response, use_nothrow);
      bytes_out = response.body().size();
      if (ec) keep_alive = false;
    } else {
      if (result.expect_continue && !parser.is_done()) {
        http::response<http::empty_body> go_on{http::status::continue_, version};
        lowest.expires_after(server->timeouts.body_read);
        co_await http::async_write(stream, go_on, use_nothrow);
      }
      // A chunked body is cut at the product limit as it streams (a declared one was checked).
      parser.body_limit(result.body_limit);
      proxy_limits limits{server->timeouts.body_read};
      limits.keep_alive = keep_alive;
      limits.tunnel_idle = std::max<std::chrono::milliseconds>(server->timeouts.idle_keep_alive,
                                                               std::chrono::minutes(10));
      proxy_outcome outcome =
          co_await forward(stream, buffer, parser, *result.proxy, owner.upstreams(), limits);
      owner.return_head_buffer(std::move(result.proxy->head));
      owner.observe_upstream(result.notes, outcome.upstream_latency, outcome.status != 0);
      bytes_in = outcome.bytes_from_client;
      bytes_out = outcome.bytes_to_client;
      keep_alive = outcome.client_keep_alive;
      status = outcome.status;
      if (!outcome.failure.empty()) {
        result.notes.reason = outcome.failure;
        if (!outcome.response_started && outcome.failure != proxy_reason::client_aborted) {
          // Nothing was sent yet: a readable 502/504/413 page naming the product and environment.
          status = outcome.failure == proxy_reason::client_body_too_large ? 413
                   : outcome.failure == proxy_reason::client_body_invalid ? 400
                   : (outcome.failure == proxy_reason::upstream_timeout ||
                      outcome.failure == proxy_reason::upstream_connect_timeout)
                       ? 504
                       : 502;
          auto response = owner.handler().error_response(
              status, outcome.failure, result.notes, result.notes.json, result.notes.request_id);
          // The request may have been cut mid-body: start the next one on a clean connection.
          keep_alive = false;
          unread_body = true;  // some of the body may still be on its way
          response.version(version);
          response.keep_alive(false);
          lowest.expires_after(server->timeouts.body_read);
          co_await http::async_write(stream, response, use_nothrow);
          bytes_out = response.body().size();
        } else {
          keep_alive = false;
          if (status == 0) status = 499;  // nginx's "client closed request", for the log only
        }
      }
    }
    owner.record(result.notes, client, method, status, started, bytes_in, bytes_out);
    if (!keep_alive) break;
  }
  registration->busy = false;
  co_await graceful_close(stream, buffer, std::chrono::seconds(2), unread_body);
}

}  // namespace varco::gateway
