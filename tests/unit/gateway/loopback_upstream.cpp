#include "loopback_upstream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>

namespace varco::gateway::testing {

std::size_t received_request::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& field : message)
    if (beast::iequals(field.name_string(), name)) ++n;
  return n;
}

std::string received_request::value(std::string_view name) const {
  for (const auto& field : message)
    if (beast::iequals(field.name_string(), name)) return std::string(field.value());
  return {};
}

std::string plain_response(std::string_view body, std::string_view extra_fields) {
  std::string out = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  out += extra_fields;
  out += "\r\n";
  out += body;
  return out;
}

loopback_upstream::loopback_upstream(asio::io_context& io)
    : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      port_(acceptor_.local_endpoint().port()),
      answer_([](const received_request&) { return scripted_response{{plain_response("ok")}}; }) {
  asio::co_spawn(io, accept_loop(), asio::detached);
}

awaitable<void> loopback_upstream::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
    if (ec) co_return;
    asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket), ++accepted_), asio::detached);
  }
}

awaitable<void> loopback_upstream::serve(tcp::socket socket, std::size_t connection) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    auto [read_ec, n] = co_await http::async_read(socket, buffer, parser, use_nothrow);
    if (read_ec) co_return;
    requests_.push_back(received_request{connection, parser.release()});
    const scripted_response response = answer_(requests_.back());
    for (const auto& piece : response.pieces) {
      auto [write_ec, written] =
          co_await asio::async_write(socket, asio::buffer(piece), use_nothrow);
      if (write_ec) co_return;
    }
    if (response.close_after) {
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      co_return;
    }
  }
}

}  // namespace varco::gateway::testing
