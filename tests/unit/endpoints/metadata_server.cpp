#include "metadata_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <future>
#include <mutex>
#include <thread>

namespace varco::gateway::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct metadata_server::impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::uint16_t port = acceptor.local_endpoint().port();
  mutable std::mutex mutex;
  handler answer = [](const metadata_request&) { return metadata_answer{404, "not found", {}}; };
  std::vector<metadata_request> seen;
  std::thread thread;

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    metadata_request request;
    auto [read_ec, read] =
        co_await http::async_read(socket, buffer, request, asio::as_tuple(asio::use_awaitable));
    if (read_ec) co_return;
    handler respond;
    {
      std::lock_guard lock(mutex);
      seen.push_back(request);
      respond = answer;
    }
    const metadata_answer answered = respond(request);
    http::response<http::string_body> response{static_cast<http::status>(answered.status), 11};
    for (const auto& [name, value] : answered.fields) response.set(name, value);
    response.set(http::field::connection, "close");
    if (answered.status != 304) {  // a 304 has no body, and no Content-Length of one
      response.body() = answered.body;
      response.prepare_payload();
    }
    co_await http::async_write(socket, response, asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }
};

metadata_server::metadata_server() : impl_(std::make_unique<impl>()) {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

metadata_server::~metadata_server() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t metadata_server::port() const noexcept { return impl_->port; }

std::string metadata_server::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + std::string(path);
}

void metadata_server::answer_with(handler answer) {
  std::lock_guard lock(impl_->mutex);
  impl_->answer = std::move(answer);
}

std::vector<metadata_request> metadata_server::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

void metadata_server::stop() {
  std::promise<void> closed;
  asio::post(impl_->io, [this, &closed] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    closed.set_value();
  });
  closed.get_future().wait();
}

}  // namespace varco::gateway::testing
