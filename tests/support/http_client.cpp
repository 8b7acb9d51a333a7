#include "tests/support/http_client.hpp"

#include "tests/support/ports.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace varco::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string http_response::header(std::string_view name) const {
  std::string found;
  for (const auto& [n, v] : headers)
    if (beast::iequals(n, name)) found = v;
  return found;
}

std::size_t http_response::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& header : headers)
    if (beast::iequals(header.first, name)) ++n;
  return n;
}

http_client::http_client(std::uint16_t port, std::chrono::milliseconds timeout)
    : stream_(io_), timeout_(timeout) {
  stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

bool http_client::open() {
  if (!stream_.socket().is_open()) return false;
  if (buffer_.size() > 0) return true;
  pollfd p{stream_.socket().native_handle(), POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return true;
  char byte = 0;
  return ::recv(p.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;  // 0 = orderly close
}

http_response http_client::request(http::verb method, const std::string& target,
                                   const header_list& headers, const std::string& body) {
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    if (beast::iequals(name, "host"))
      request.set(http::field::host, value);
    else
      request.insert(name, value);
  }
  if (!body.empty()) {
    request.body() = body;
    request.prepare_payload();
  }
  stream_.expires_after(timeout_);
  http::write(stream_, request);
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  if (method == http::verb::head) parser.skip(true);
  http::read(stream_, buffer_, parser);
  stream_.expires_never();

  http_response answer;
  answer.status = parser.get().result_int();
  for (const auto& field : parser.get())
    answer.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  answer.body = std::move(parser.get().body());
  answer.keep_alive = parser.keep_alive();
  if (!answer.keep_alive) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }
  return answer;
}

http_response http_request(std::uint16_t port, http::verb method, const std::string& target,
                           const header_list& headers, const std::string& body) {
  http_client client(port);
  return client.request(method, target, headers, body);
}

header_list with_cookie(const std::string& session_id, header_list more) {
  more.emplace_back("Cookie", "varco_session=" + session_id);
  return more;
}

header_list as_api(header_list more) {
  more.emplace_back("Accept", "application/json");
  return more;
}

header_list as_browser(header_list more) {
  more.emplace_back("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
  return more;
}

std::string send_raw(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout) {
  const int fd = connect_to_loopback(port);
  if (fd < 0) return {};
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string answer;
  const auto until = std::chrono::steady_clock::now() + timeout;
  char chunk[4096];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    answer.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace varco::test
