#include "gateway/outbound/http_fetcher.hpp"

#include "conf/syntax.hpp"
#include "gateway/outbound/fetch_url.hpp"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace varco::gateway {
namespace {

// A response header larger than this is not a document server's.
constexpr std::size_t max_header_bytes = 16 * 1024;
// 1xx interim responses (103 Early Hints) skipped before the final one; more is a loop.
constexpr int max_interim_responses = 4;

// The fields the fetcher writes itself, or that would change the framing or the connection.
bool reserved_field(std::string_view name) {
  return conf::is_reserved_header(name) || beast::iequals(name, "Content-Type") ||
         beast::iequals(name, "User-Agent") || beast::iequals(name, "Expect");
}

bool field_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool well_formed(const fetch_request& request) {
  if (request.method != http::verb::get && request.method != http::verb::post) return false;
  if (request.method == http::verb::get && (!request.body.empty() || !request.content_type.empty()))
    return false;
  if (!field_value(request.content_type)) return false;
  return std::all_of(request.headers.begin(), request.headers.end(), [](const auto& field) {
    return conf::is_http_token(field.first) && !reserved_field(field.first) &&
           field_value(field.second);
  });
}

http::request<http::string_body> make_message(fetch_request& request, const fetch_url& url) {
  http::request<http::string_body> message{request.method, url.target, 11};
  message.set(http::field::host, url.host_field());
  message.set(http::field::user_agent, "varco");
  message.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) message.insert(name, value);
  if (request.method == http::verb::post) {
    if (!request.content_type.empty()) message.set(http::field::content_type, request.content_type);
    message.body() = std::move(request.body);
    message.prepare_payload();  // Content-Length, 0 for an empty body
  }
  return message;
}

// Logs why a fetch failed (no query, no field, no body) and returns the error.
fetch_error failed(const fetch_url& url, http::verb method, fetch_error error,
                   std::string_view detail) {
  spdlog::warn("fetch {} {}: {} (reason={})", http::to_string(method), url.for_log(), detail,
               reason_code(error));
  return error;
}

fetch_error read_error(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return fetch_error::timeout;
  if (ec == http::error::body_limit) return fetch_error::too_large;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message)
    return fetch_error::io_failed;  // closed before a whole response: the transport's failure
  if (ec.category() == http::make_error_code(http::error::bad_version).category())
    return fetch_error::bad_response;  // what arrived is not HTTP/1.x within the limits
  return fetch_error::io_failed;
}

// "text/HTML; charset=utf-8" -> "text/html".
std::string media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  const auto first = content_type.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = content_type.find_last_not_of(" \t");
  std::string out(content_type.substr(first, last - first + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

fetch_response to_response(http::response<http::string_body>&& message) {
  fetch_response out;
  out.status = message.result_int();
  out.content_type = media_type(message[http::field::content_type]);
  out.etag = message[http::field::etag];
  out.last_modified = message[http::field::last_modified];
  auto [first, last] = message.equal_range(http::field::cache_control);
  for (auto field = first; field != last; ++field) {
    if (!out.cache_control.empty()) out.cache_control += ", ";
    out.cache_control += field->value();
  }
  out.body = std::move(message.body());
  return out;
}

template <class Stream>
awaitable<fetch_result> exchange(Stream& stream, http::request<http::string_body>& message,
                                 std::size_t max_body_bytes, const fetch_url& url) {
  const http::verb method = message.method();
  auto [write_ec, written] = co_await http::async_write(stream, message, use_nothrow);
  if (write_ec) {
    co_return failed(
        url, method,
        write_ec == beast::error::timeout ? fetch_error::timeout : fetch_error::io_failed,
        write_ec.message());
  }
  beast::flat_buffer buffer;
  for (int interim = 0;; ++interim) {
    http::response_parser<http::string_body> parser;
    parser.header_limit(max_header_bytes);
    // Checked against Content-Length as soon as the header is parsed, and against each chunk
    // of a chunked or close-delimited body as it arrives: nothing past the bound is read.
    parser.body_limit(max_body_bytes);
    auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, use_nothrow);
    if (read_ec) co_return failed(url, method, read_error(read_ec), read_ec.message());
    const unsigned status = parser.get().result_int();
    if (status < 100 || status > 599 || status == 101)
      co_return failed(url, method, fetch_error::bad_response, "status " + std::to_string(status));
    if (status >= 200) co_return to_response(parser.release());
    if (interim + 1 == max_interim_responses)
      co_return failed(url, method, fetch_error::bad_response, "too many 1xx responses");
  }
}

}  // namespace

awaitable<fetch_result> http_fetcher::fetch(fetch_request request) {
  // The two refusals are not logged: a refused URL may carry user info, and the caller knows
  // which URL and request it made.
  auto url = parse_fetch_url(request.url);
  if (!url) co_return fetch_error::bad_url;
  if (!well_formed(request)) co_return fetch_error::bad_request;
  auto message = make_message(request, *url);
  const http::verb method = request.method;

  auto executor = co_await asio::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + request.timeout;

  // The resolver has no timeout of its own: a timer cancels it. The timer's handler shares the
  // resolver, since it may already be queued when the resolve completes and this frame ends.
  auto resolver = std::make_shared<tcp::resolver>(executor);
  asio::steady_timer resolve_deadline(executor, deadline);
  resolve_deadline.async_wait([resolver](const boost::system::error_code& ec) {
    if (!ec) resolver->cancel();
  });
  auto [resolve_ec, endpoints] =
      co_await resolver->async_resolve(url->host, std::to_string(url->port), use_nothrow);
  resolve_deadline.cancel();
  if (resolve_ec == asio::error::operation_aborted)
    co_return failed(*url, method, fetch_error::timeout, "resolving the host");
  if (resolve_ec) co_return failed(*url, method, fetch_error::resolve_failed, resolve_ec.message());

  beast::tcp_stream tcp(executor);
  tcp.expires_at(deadline);  // one deadline for connect, handshake, write and read together
  auto [connect_ec, endpoint] = co_await tcp.async_connect(endpoints, use_nothrow);
  if (connect_ec) {
    co_return failed(
        *url, method,
        connect_ec == beast::error::timeout ? fetch_error::timeout : fetch_error::connect_failed,
        connect_ec.message());
  }
  if (!url->https) {
    auto result = co_await exchange(tcp, message, request.max_body_bytes, *url);
    boost::system::error_code ignored;
    tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return result;
  }

  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), tls_);
  // SNI names a host, never an address (RFC 6066 §3).
  if (url->host_is_name && SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str()) != 1)
    co_return failed(*url, method, fetch_error::tls_failed, "cannot set the server name");
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(asio::ssl::host_name_verification(url->host));
  auto [handshake_ec] =
      co_await stream.async_handshake(asio::ssl::stream_base::client, use_nothrow);
  if (handshake_ec) {
    co_return failed(
        *url, method,
        handshake_ec == beast::error::timeout ? fetch_error::timeout : fetch_error::tls_failed,
        handshake_ec.message());
  }
  // No close_notify: the request said Connection: close and the response is complete.
  co_return co_await exchange(stream, message, request.max_body_bytes, *url);
}

}  // namespace varco::gateway
