#include "gateway/portal/webhook_client.hpp"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/version.hpp>
#include <openssl/ssl.h>

namespace varco::gateway {
namespace {

// The webhook answers with a status; its body is not ours to read beyond a short bound.
constexpr std::size_t max_response_bytes = 64 * 1024;

webhook_outcome failed(std::string_view reason, const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return {false, true, 0, "webhook_timeout"};
  return {false, true, 0, reason};
}

template <class Stream>
awaitable<webhook_outcome> exchange(Stream& stream, http::request<http::string_body>& request) {
  auto [write_ec, written] = co_await http::async_write(stream, request, use_nothrow);
  if (write_ec) co_return failed("webhook_io_failed", write_ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_response_bytes);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, use_nothrow);
  // A response head with a status but a body over the bound still tells the outcome.
  if (read_ec && !(read_ec == http::error::body_limit && parser.is_header_done()))
    co_return failed("webhook_io_failed", read_ec);
  co_return classify_webhook_status(parser.get().result_int());
}

}  // namespace

webhook_outcome classify_webhook_status(unsigned status) {
  if (status >= 200 && status < 300) return {true, false, status, {}};
  if (status >= 500 || status == 408 || status == 429)
    return {false, true, status, "webhook_server_error"};
  return {false, false, status, "webhook_refused"};
}

awaitable<webhook_outcome> post_webhook(const conf::support_webhook& webhook,
                                        asio::ssl::context& tls, std::string body,
                                        std::string_view idempotency_key) {
  const auto& url = webhook.url;
  auto executor = co_await asio::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + webhook.timeout;

  http::request<http::string_body> request{http::verb::post,
                                           url.base_path.empty() ? "/" : url.base_path, 11};
  const bool default_port = url.port == (url.https ? 443 : 80);
  request.set(http::field::host,
              default_port ? url.host : url.host + ":" + std::to_string(url.port));
  request.set(http::field::user_agent, "varco-support-forwarder");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  request.set("Idempotency-Key", idempotency_key);
  request.body() = std::move(body);
  request.prepare_payload();

  tcp::resolver resolver(executor);
  asio::steady_timer resolve_deadline(executor, deadline);
  // The resolver has no timeout of its own: a timer cancels it.
  resolve_deadline.async_wait([&resolver](const boost::system::error_code& ec) {
    if (!ec) resolver.cancel();
  });
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(url.host, std::to_string(url.port), use_nothrow);
  resolve_deadline.cancel();
  if (resolve_ec) {
    co_return failed(
        resolve_ec == asio::error::operation_aborted ? "webhook_timeout" : "webhook_connect_failed",
        resolve_ec);
  }

  beast::tcp_stream tcp(executor);
  tcp.expires_at(deadline);  // one deadline for connect, handshake, write and read together
  auto [connect_ec, endpoint] = co_await tcp.async_connect(endpoints, use_nothrow);
  if (connect_ec) co_return failed("webhook_connect_failed", connect_ec);
  if (!url.https) {
    auto outcome = co_await exchange(tcp, request);
    boost::system::error_code ignored;
    tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return outcome;
  }

  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), tls);
  if (SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()) != 1)
    co_return webhook_outcome{false, true, 0, "webhook_tls_failed"};
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
  auto [handshake_ec] =
      co_await stream.async_handshake(asio::ssl::stream_base::client, use_nothrow);
  if (handshake_ec) co_return failed("webhook_tls_failed", handshake_ec);
  auto outcome = co_await exchange(stream, request);
  co_return outcome;
}

}  // namespace varco::gateway
