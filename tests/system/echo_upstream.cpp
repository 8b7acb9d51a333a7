// A real HTTP/1.1 (and WebSocket) server for the system tests; see harness.hpp.
#include "base/sha256.hpp"
#include "tests/system/harness.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <openssl/evp.h>

#include <poll.h>

namespace varco::system_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Waits until the socket is readable, checking `running` every 20 ms.
bool readable(int fd, const std::atomic<bool>& running) {
  while (running.load()) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, 20);
    if (n > 0) return true;
    if (n < 0) return false;
  }
  return false;
}

}  // namespace

echo_upstream::echo_upstream() { start(); }

echo_upstream::~echo_upstream() { stop(); }

void echo_upstream::start() {
  acceptor_ = std::make_unique<tcp::acceptor>(io_);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
  acceptor_->open(endpoint.protocol());
  acceptor_->set_option(asio::socket_base::reuse_address(true));
  acceptor_->bind(endpoint);
  acceptor_->listen();
  port_ = acceptor_->local_endpoint().port();
  running_ = true;
  acceptor_thread_ = std::thread([this] { accept_loop(); });
}

void echo_upstream::stop() {
  if (!running_.exchange(false)) return;
  acceptor_thread_.join();
  beast::error_code ignored;
  acceptor_->close(ignored);
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(workers_mutex_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();  // each closes its connection once stopped
}

void echo_upstream::accept_loop() {
  while (readable(acceptor_->native_handle(), running_)) {
    beast::error_code ec;
    tcp::socket socket(io_);
    acceptor_->accept(socket, ec);
    if (ec) continue;
    ++connections_;
    std::lock_guard lock(workers_mutex_);
    workers_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
  }
}

void echo_upstream::serve(tcp::socket socket) {
  beast::flat_buffer buffer;
  for (;;) {
    if (buffer.size() == 0 && !readable(socket.native_handle(), running_)) break;
    http::request_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    beast::error_code ec;
    http::read_header(socket, buffer, parser, ec);
    if (ec) break;
    requests_.fetch_add(1);  // a head arrived, whatever happens to the body
    if (!parser.is_done()) http::read(socket, buffer, parser, ec);
    if (ec) break;
    auto& request = parser.get();

    // Each X-Set-Cookie field the client sent comes back as a Set-Cookie of this product's
    // answer (what a product portal would set), on every kind of answer below.
    std::vector<std::string> set_cookies;
    for (const auto& field : request)
      if (beast::iequals(field.name_string(), "X-Set-Cookie"))
        set_cookies.emplace_back(field.value());

    if (beast::websocket::is_upgrade(request)) {
      beast::websocket::stream<tcp::socket> ws(std::move(socket));
      // The 101 says which cookies the upgrade request carried (X-Echo-Cookie, one per field).
      std::vector<std::string> cookies;
      for (const auto& field : request)
        if (field.name() == http::field::cookie) cookies.emplace_back(field.value());
      ws.set_option(beast::websocket::stream_base::decorator(
          [cookies, set_cookies](beast::websocket::response_type& response) {
            for (const auto& cookie : cookies) response.insert("X-Echo-Cookie", cookie);
            for (const auto& cookie : set_cookies) response.insert(http::field::set_cookie, cookie);
          }));
      ws.accept(request, ec);
      while (!ec) {
        beast::flat_buffer message;
        ws.read(message, ec);
        if (ec) break;
        ws.text(ws.got_text());
        ws.write(message.data(), ec);
      }
      return;
    }

    if (const int delay = delay_ms.load(); delay > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));  // a slow portal, by design

    const std::size_t big = download_bytes.load();
    if (big > 0) {
      http::response<http::empty_body> head{http::status::ok, 11};
      head.set(http::field::content_type, "application/octet-stream");
      head.content_length(big);
      head.keep_alive(request.keep_alive());
      for (const auto& cookie : set_cookies) head.insert(http::field::set_cookie, cookie);
      http::response_serializer<http::empty_body> serializer{head};
      http::write_header(socket, serializer, ec);
      const std::string chunk(64 * 1024, 'v');
      for (std::size_t sent = 0; !ec && sent < big;) {
        const std::size_t n = std::min(chunk.size(), big - sent);
        asio::write(socket, asio::buffer(chunk.data(), n), ec);
        sent += n;
      }
      if (ec || !request.keep_alive()) break;
      continue;
    }

    boost::json::array headers;
    for (const auto& field : request)
      headers.push_back(
          boost::json::array{std::string(field.name_string()), std::string(field.value())});
    boost::json::object echo{{"method", std::string(request.method_string())},
                             {"target", std::string(request.target())},
                             {"headers", std::move(headers)},
                             {"body_bytes", request.body().size()},
                             {"body_sha256", base::sha256_hex(request.body())}};
    http::response<http::string_body> response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    for (const auto& cookie : set_cookies) response.insert(http::field::set_cookie, cookie);
    response.body() = boost::json::serialize(echo);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    http::write(socket, response, ec);
    if (ec || !request.keep_alive()) break;
  }
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace varco::system_test
