// A small HTTP upstream on 127.0.0.1:0 for the proxy's unit tests: it reads each request with
// Beast, records it (with the connection it came on) and answers with scripted bytes, written
// as given, so a test controls the exact wire: hop-by-hop fields, chunked bodies, an early close.
// Runs on the test's io_context; nothing here is thread-safe.
#pragma once

#include "gateway/http/asio_types.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace varco::gateway::testing {

struct received_request {
  std::size_t connection = 0;  // 1 for the first connection accepted, 2 for the next, ...
  http::request<http::string_body> message;
  std::size_t count(std::string_view name) const;  // fields with this name (any case)
  std::string value(std::string_view name) const;  // the first one's value; "" when absent
};

struct scripted_response {
  std::vector<std::string> pieces;  // written in order, one write each
  bool close_after = false;         // close the connection once the pieces are written
};

using responder = std::function<scripted_response(const received_request&)>;

// "HTTP/1.1 200 OK" with Content-Length and `body`, plus `extra_fields` (each ending in CRLF).
std::string plain_response(std::string_view body, std::string_view extra_fields = {});

class loopback_upstream {
 public:
  explicit loopback_upstream(asio::io_context& io);
  loopback_upstream(const loopback_upstream&) = delete;
  loopback_upstream& operator=(const loopback_upstream&) = delete;

  std::uint16_t port() const { return port_; }
  void respond_with(responder answer) { answer_ = std::move(answer); }
  std::size_t connections_accepted() const noexcept { return accepted_; }
  const std::vector<received_request>& requests() const noexcept { return requests_; }

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(tcp::socket socket, std::size_t connection);

  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  responder answer_;
  std::size_t accepted_ = 0;
  std::vector<received_request> requests_;
};

}  // namespace varco::gateway::testing
