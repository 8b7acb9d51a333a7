#include "tests/support/test_upstream.hpp"

#include "base/hex.hpp"
#include "base/openssl_handles.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/test_files.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <openssl/evp.h>

#include <arpa/inet.h>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace varco::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t piece = 64 * 1024;

// SHA-256 over data that arrives in pieces.
class running_sha256 {
 public:
  running_sha256() : ctx_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  }
  void update(const void* data, std::size_t size) {
    EVP_DigestUpdate(ctx_.get(), data, size);
    bytes_ += size;
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &length);
    return base::hex(std::span<const unsigned char>(digest, length));
  }
  std::uint64_t bytes() const noexcept { return bytes_; }

 private:
  base::openssl_ptr<EVP_MD_CTX> ctx_;
  std::uint64_t bytes_ = 0;
};

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

std::string test_upstream::pattern(std::uint64_t size) {
  std::string out(size, '\0');
  for (std::uint64_t i = 0; i < size; ++i) out[i] = pattern_byte(i);
  return out;
}

test_upstream::test_upstream() { start(); }

test_upstream::~test_upstream() { stop(); }

void test_upstream::start() {
  listen_fd_ = listen_on_loopback(port_, 128, port_, "test_upstream");
  running_ = true;
  acceptor_ = std::thread([this] { accept_loop(); });
}

void test_upstream::stop() {
  if (!running_.exchange(false)) return;
  acceptor_.join();
  ::close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    // Wakes every blocking read and write; each worker then closes its own socket.
    for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    workers.swap(workers_);
  }
  stopping_.notify_all();
  for (auto& worker : workers) worker.join();
}

void test_upstream::accept_loop() {
  while (running_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    const behaviour now = mode.load();
    if (now == behaviour::close) {
      ::close(fd);
      continue;
    }
    if (now == behaviour::reset) {
      const linger abort{1, 0};  // close sends RST instead of FIN
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
      ::close(fd);
      continue;
    }
    track(fd);
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void test_upstream::track(int fd) {
  std::lock_guard lock(mutex_);
  open_fds_.insert(fd);
}

void test_upstream::untrack_and_close(int fd) {
  std::lock_guard lock(mutex_);
  open_fds_.erase(fd);
  ::close(fd);
}

bool test_upstream::wait_delay(int ms) {
  std::unique_lock lock(mutex_);
  return !stopping_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return !running_; });
}

void test_upstream::serve(int fd) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.assign(tcp::v4(), ::dup(fd));  // the tracked fd stays ours to shut down and close
  beast::flat_buffer buffer;
  beast::error_code ec;
  std::vector<char> body_piece(piece);
  bool reset = false;
  for (;;) {
    http::request_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    parser.header_limit(64 * 1024);
    http::read_header(socket, buffer, parser, ec);
    if (ec) break;
    ++requests_;
    auto& request = parser.get();
    // A connection opened before the failure mode was set (pooled) fails on its next request.
    if (const behaviour now = mode.load(); now == behaviour::close || now == behaviour::reset) {
      if (now == behaviour::reset) {
        const linger abort{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        reset = true;
      }
      break;
    }

    std::vector<std::string> set_cookies;
    for (const auto& field : request)
      if (beast::iequals(field.name_string(), "X-Set-Cookie"))
        set_cookies.emplace_back(field.value());

    if (beast::websocket::is_upgrade(request) && ends_with(request.target(), "/ws")) {
      std::vector<std::string> cookies;
      for (const auto& field : request)
        if (field.name() == http::field::cookie) cookies.emplace_back(field.value());
      beast::websocket::stream<tcp::socket&> ws(socket);
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
      break;
    }

    // The body, hashed as it arrives, never held whole.
    running_sha256 hash;
    while (!parser.is_done()) {
      request.body().data = body_piece.data();
      request.body().size = body_piece.size();
      http::read(socket, buffer, parser, ec);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) break;
      hash.update(body_piece.data(), body_piece.size() - request.body().size);
    }
    if (ec) break;
    const bool keep_alive = request.keep_alive();
    const behaviour now = mode.load();

    if (now == behaviour::delay && !wait_delay(delay_ms.load())) break;

    if (now == behaviour::big_body) {
      const std::uint64_t total = body_bytes.load();
      http::response<http::empty_body> head{http::status::ok, 11};
      head.set(http::field::content_type, "application/octet-stream");
      head.content_length(total);
      head.keep_alive(keep_alive);
      for (const auto& cookie : set_cookies) head.insert(http::field::set_cookie, cookie);
      http::response_serializer<http::empty_body> serializer{head};
      http::write_header(socket, serializer, ec);
      std::string chunk(piece, '\0');
      for (std::uint64_t sent = 0; !ec && sent < total;) {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(piece, total - sent));
        for (std::size_t i = 0; i < n; ++i) chunk[i] = pattern_byte(sent + i);
        asio::write(socket, asio::buffer(chunk.data(), n), ec);
        sent += n;
      }
    } else {
      boost::json::object answer;
      if (now == behaviour::sink) {
        answer = {{"bytes", hash.bytes()}, {"sha256", hash.hex()}};
      } else {
        boost::json::array headers;
        for (const auto& field : request)
          headers.push_back(
              boost::json::array{std::string(field.name_string()), std::string(field.value())});
        answer = {{"method", std::string(request.method_string())},
                  {"target", std::string(request.target())},
                  {"headers", std::move(headers)},
                  {"body_bytes", hash.bytes()},
                  {"body_sha256", hash.hex()}};
      }
      http::response<http::string_body> response{http::status::ok, 11};
      response.set(http::field::content_type, "application/json");
      for (const auto& cookie : set_cookies) response.insert(http::field::set_cookie, cookie);
      response.body() = boost::json::serialize(answer);
      response.keep_alive(keep_alive);
      response.prepare_payload();
      http::write(socket, response, ec);
    }
    if (ec || !keep_alive) break;
  }
  beast::error_code ignored;
  if (!reset) socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  untrack_and_close(fd);
}

}  // namespace varco::test
