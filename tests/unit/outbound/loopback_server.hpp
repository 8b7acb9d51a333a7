// A real HTTP or HTTPS server on 127.0.0.1:0 for the fetcher's tests: it reads each request with
// Beast, records it and answers with scripted bytes, written as given, so a test controls the
// exact wire (chunked bodies, a Content-Length it never honours, no answer at all). One request
// per connection, as the fetcher sends. Runs on the test's io_context; nothing is thread-safe.
#pragma once

#include "gateway/http/asio_types.hpp"

#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway::testing {

struct scripted_answer {
  std::vector<std::string> pieces;  // written in order, one write each
  // After the pieces, read until the client ends the connection (and count it) instead of
  // closing: how a server that never answers, or never finishes its body, looks.
  bool wait_for_close = false;
};

using responder = std::function<scripted_answer(const http::request<http::string_body>&)>;

// "HTTP/1.1 <status_line>" with Content-Length and `body`, plus `extra_fields` (each ending in
// CRLF).
std::string response_text(std::string_view status_line, std::string_view body,
                          std::string_view extra_fields = {});

// Runs `io` until `done()` holds; false when `limit` passes first (a hung test fails, not hangs).
bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::seconds limit = std::chrono::seconds(20));

class loopback_server {
 public:
  // Plain HTTP, or HTTPS when `tls` is given (a server context that must outlive this).
  explicit loopback_server(asio::io_context& io, asio::ssl::context* tls = nullptr);
  loopback_server(const loopback_server&) = delete;
  loopback_server& operator=(const loopback_server&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  // "http://127.0.0.1:<port><path>" (https:// with TLS).
  std::string url(std::string_view path) const;
  void respond_with(responder answer) { answer_ = std::move(answer); }

  std::size_t connections_accepted() const noexcept { return accepted_; }
  const std::vector<http::request<http::string_body>>& requests() const noexcept {
    return requests_;
  }
  // Connections the client ended while the server still wrote its pieces or waited after them
  // (scripted_answer::wait_for_close).
  std::size_t closed_by_client() const noexcept { return closed_by_client_; }
  // The SNI of each completed TLS handshake, "" when the client sent none.
  const std::vector<std::string>& server_names() const noexcept { return server_names_; }
  std::size_t failed_handshakes() const noexcept { return failed_handshakes_; }

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve_plain(tcp::socket socket);
  awaitable<void> serve_tls(tcp::socket socket);
  template <class Stream>
  awaitable<void> serve(Stream& stream);

  tcp::acceptor acceptor_;
  asio::ssl::context* tls_;
  std::uint16_t port_ = 0;
  responder answer_;
  std::size_t accepted_ = 0;
  std::size_t closed_by_client_ = 0;
  std::size_t failed_handshakes_ = 0;
  std::vector<http::request<http::string_body>> requests_;
  std::vector<std::string> server_names_;
};

}  // namespace varco::gateway::testing
