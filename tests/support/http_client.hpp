// A synchronous HTTP/1.1 client (Boost.Beast) for tests: one keep-alive connection per object,
// plus one-shot helpers and a raw-bytes mode for malformed input.
//
// Not thread-safe: one client per thread. Network errors throw boost::system::system_error.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace varco::test {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_response {
  unsigned status = 0;
  header_list headers;  // as received: case and duplicates kept
  std::string body;
  bool keep_alive = false;

  // The last value of a header (case-insensitive), "" when absent.
  std::string header(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

class http_client {
 public:
  explicit http_client(std::uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Sends one request on this connection and reads the answer. A Host header in `headers`
  // replaces the default (127.0.0.1); a non-empty body gets a Content-Length.
  http_response request(boost::beast::http::verb method, const std::string& target,
                        const header_list& headers = {}, const std::string& body = {});
  http_response get(const std::string& target, const header_list& headers = {}) {
    return request(boost::beast::http::verb::get, target, headers);
  }
  // Whether the server has not closed the connection (checked without blocking).
  bool open();

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
};

// One request on a fresh connection.
http_response http_request(std::uint16_t port, boost::beast::http::verb method,
                           const std::string& target, const header_list& headers = {},
                           const std::string& body = {});
inline http_response http_get(std::uint16_t port, const std::string& target,
                              const header_list& headers = {}) {
  return http_request(port, boost::beast::http::verb::get, target, headers);
}

// Request headers as a client sends them, appended to `more`.
header_list with_cookie(const std::string& session_id, header_list more = {});  // varco_session
header_list as_api(header_list more = {});      // Accept: application/json
header_list as_browser(header_list more = {});  // Accept: text/html, as a browser navigates

// Writes `bytes` as they are and returns everything read until the server closes or `timeout`.
std::string send_raw(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout = std::chrono::seconds(3));

}  // namespace varco::test
