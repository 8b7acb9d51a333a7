#include "loopback_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include <array>

namespace varco::gateway::testing {

std::string response_text(std::string_view status_line, std::string_view body,
                          std::string_view extra_fields) {
  std::string out = "HTTP/1.1 ";
  out += status_line;
  out += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  out += extra_fields;
  out += "\r\n";
  out += body;
  return out;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::seconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(100));
  }
  return true;
}

loopback_server::loopback_server(asio::io_context& io, asio::ssl::context* tls)
    : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      tls_(tls),
      port_(acceptor_.local_endpoint().port()),
      answer_([](const http::request<http::string_body>&) {
        return scripted_answer{{response_text("200 OK", "ok")}};
      }) {
  asio::co_spawn(io, accept_loop(), asio::detached);
}

std::string loopback_server::url(std::string_view path) const {
  return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) +
         std::string(path);
}

awaitable<void> loopback_server::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
    if (ec) co_return;
    ++accepted_;
    auto executor = acceptor_.get_executor();
    if (tls_)
      asio::co_spawn(executor, serve_tls(std::move(socket)), asio::detached);
    else
      asio::co_spawn(executor, serve_plain(std::move(socket)), asio::detached);
  }
}

awaitable<void> loopback_server::serve_plain(tcp::socket socket) { co_await serve(socket); }

awaitable<void> loopback_server::serve_tls(tcp::socket socket) {
  asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_nothrow);
  if (ec) {
    ++failed_handshakes_;
    co_return;
  }
  const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
  server_names_.emplace_back(name ? name : "");
  co_await serve(stream);
}

template <class Stream>
awaitable<void> loopback_server::serve(Stream& stream) {
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, use_nothrow);
  if (read_ec) co_return;
  requests_.push_back(parser.release());
  const scripted_answer answer = answer_(requests_.back());
  for (const auto& piece : answer.pieces) {
    auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(piece), use_nothrow);
    if (write_ec) {
      if (answer.wait_for_close) ++closed_by_client_;  // the client hung up mid-answer
      co_return;
    }
  }
  if (!answer.wait_for_close) co_return;  // the stream closes with this frame
  std::array<char, 4096> scratch{};
  for (;;) {
    auto [ec, got] = co_await stream.async_read_some(asio::buffer(scratch), use_nothrow);
    if (ec) break;
  }
  ++closed_by_client_;
}

}  // namespace varco::gateway::testing
