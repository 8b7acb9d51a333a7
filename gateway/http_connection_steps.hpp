// The steps of serve_connection() (http_connection_impl.hpp): waiting for and reading a request
// head within its limits, refusing a head that cannot be read, the gateway's own answers, the
// status of a proxy failure, and the close.
#pragma once

#include "gateway/http/gzip_page.hpp"
#include "gateway/http_connection.hpp"
#include "gateway/parse_buffered.hpp"
#include "gateway/proxy.hpp"
#include "gateway/request_handler.hpp"
#include "gateway/worker.hpp"

#include <chrono>
#include <string>
#include <type_traits>
#include <utility>

namespace varco::gateway::connection_detail {

template <class Stream>
inline constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

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

// What one request on the connection comes to, for the access log and the keep-alive decision.
struct request_exchange {
  std::chrono::steady_clock::time_point started;
  unsigned version = 11;
  std::string method;       // kept: the proxy may consume the parser (moved into a body parser)
  bool keep_alive = false;  // the connection may serve another request after this one
  unsigned status = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

// The read for the first byte of the next request: the keep-alive idle timeout applies until it
// comes (the header read timeout starts then; on a new connection it applies from the start). A
// plain function returning the read's awaitable: no coroutine frame of its own per request.
template <class Stream>
auto read_next_request(Stream& stream, beast::flat_buffer& buffer, const conf::server& server,
                       bool first) {
  beast::get_lowest_layer(stream).expires_after(first ? server.timeouts.header_read
                                                      : server.timeouts.idle_keep_alive);
  return stream.async_read_some(buffer.prepare(4096), use_nothrow);
}

// Reads the rest of a request head that is not yet whole in `buffer`, within `header_left` bytes
// for the whole header and timeouts.header_read for all its reads.
template <class Stream>
awaitable<beast::error_code> read_rest_of_head(Stream& stream, beast::flat_buffer& buffer,
                                               http::request_parser<http::empty_body>& parser,
                                               std::size_t& header_left,
                                               const conf::server& server) {
  beast::error_code read_ec;
  beast::get_lowest_layer(stream).expires_after(server.timeouts.header_read);
  do {
    // What stays buffered is under header_left, so this never exceeds the buffer's limit.
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(chunk_bytes), use_nothrow);
    if (ec) {
      read_ec = ec == asio::error::eof ? beast::error_code(http::error::partial_message) : ec;
      break;
    }
    buffer.commit(n);
  } while (!parse_header_within(parser, buffer, header_left, read_ec) && !read_ec);
  co_return read_ec;
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

// Answers a request whose head could not be read (after a timeout there is nobody to answer: the
// stream closed itself). True when an answer went out, so the rest of what the client sent is
// still coming and the close must linger.
template <class Stream>
awaitable<bool> refuse_unreadable_head(Stream& stream, const beast::error_code& read_ec,
                                       bool request_line_read, worker& owner,
                                       const client_info& client, const conf::server& server,
                                       std::chrono::steady_clock::time_point started,
                                       std::size_t header_bytes) {
  auto [status, reason] = header_read_failure(read_ec, request_line_read);
  if (status == 0) co_return false;
  exchange_notes notes;
  notes.reason = reason;
  notes.request_id = owner.new_request_id();
  auto response = owner.handler().error_response(status, reason, {}, false, notes.request_id);
  response.keep_alive(false);
  beast::get_lowest_layer(stream).expires_after(server.timeouts.body_read);
  co_await http::async_write(stream, response, use_nothrow);
  owner.record(notes, client, "-", status, started, header_bytes, response.body().size());
  co_return true;
}

// A slow or stalled header (slowloris): the stream closed itself on the timeout, so there is no
// answer to send (nginx does the same); logged as 408.
inline void record_header_timeout(worker& owner, const client_info& client,
                                  std::chrono::steady_clock::time_point started,
                                  std::size_t header_bytes) {
  exchange_notes notes;
  notes.reason = "header_timeout";
  owner.record(notes, client, "-", 408, started, header_bytes, 0);
}

template <class Stream>
awaitable<void> send_continue(Stream& stream, unsigned version, const conf::server& server) {
  http::response<http::empty_body> go_on{http::status::continue_, version};
  beast::get_lowest_layer(stream).expires_after(server.timeouts.body_read);
  co_await http::async_write(stream, go_on, use_nothrow);
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
  if (result.expect_continue && !parser.is_done())
    co_await send_continue(stream, parser.get().version(), server);
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

// Readies the gateway's own answer for the write. A body we did not read cannot be skipped
// reliably: answer, then close (lingering: the body may still be coming).
inline void prepare_own_response(http::response<http::string_body>& response,
                                 const exchange_notes& notes, bool body_read,
                                 request_exchange& exchange, bool& unread_body) {
  if (!body_read) {
    exchange.keep_alive = false;
    unread_body = true;
  }
  response.version(exchange.version);
  response.keep_alive(exchange.keep_alive);
  // varco's own pages go compressed to a browser that accepts it (not a HEAD: its Content-Length
  // must stay the GET's).
  if (notes.accepts_gzip && exchange.method != "HEAD") gzip_page(response);
  exchange.status = response.result_int();
}

// The limits of one forward: the client's body read timeout per chunk, and how long a WebSocket
// tunnel may stay idle (never less than ten minutes, never less than a keep-alive connection).
inline proxy_limits proxy_limits_for(const conf::server& server, bool keep_alive) {
  proxy_limits limits{server.timeouts.body_read};
  limits.keep_alive = keep_alive;
  limits.tunnel_idle = std::max<std::chrono::milliseconds>(server.timeouts.idle_keep_alive,
                                                           std::chrono::minutes(10));
  return limits;
}

// Takes what the forward came to into the exchange. True when the client must still be told
// (nothing was sent yet and the client is there to read it): answer_proxy_failure().
inline bool take_proxy_outcome(const proxy_outcome& outcome, exchange_notes& notes,
                               request_exchange& exchange) {
  exchange.bytes_in = outcome.bytes_from_client;
  exchange.bytes_out = outcome.bytes_to_client;
  exchange.keep_alive = outcome.client_keep_alive;
  exchange.status = outcome.status;
  if (outcome.failure.empty()) return false;
  notes.reason = outcome.failure;
  if (!outcome.response_started && outcome.failure != proxy_reason::client_aborted) return true;
  exchange.keep_alive = false;
  if (exchange.status == 0) exchange.status = 499;  // nginx's "client closed request", log only
  return false;
}

// Nothing was sent yet: a readable 502/504/413 page naming the product and environment. The
// request may have been cut mid-body: the connection closes after it, lingering (some of the body
// may still be on its way).
template <class Stream>
awaitable<void> answer_proxy_failure(Stream& stream, worker& owner, const exchange_notes& notes,
                                     std::string_view failure, request_exchange& exchange,
                                     bool& unread_body, const conf::server& server) {
  exchange.status = failure_status(failure);
  auto response =
      owner.handler().error_response(exchange.status, failure, notes, notes.json, notes.request_id);
  exchange.keep_alive = false;
  unread_body = true;
  response.version(exchange.version);
  response.keep_alive(false);
  beast::get_lowest_layer(stream).expires_after(server.timeouts.body_read);
  co_await http::async_write(stream, response, use_nothrow);
  exchange.bytes_out = response.body().size();
}

}  // namespace varco::gateway::connection_detail
