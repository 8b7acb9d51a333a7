#include "bench/login_load/load_browser.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/system/system_error.hpp>

#include <utility>

namespace varco::bench {

test::http_response load_browser::send(std::uint16_t port, boost::beast::http::verb method,
                                       const std::string& target, const std::string& body,
                                       std::chrono::nanoseconds& took) {
  test::header_list headers = {{"Host", "127.0.0.1:" + std::to_string(port)},
                               {"Accept", "text/html"}};
  if (!cookies_.empty()) headers.emplace_back("Cookie", cookie_header());
  if (method == boost::beast::http::verb::post) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    if (body.empty()) headers.emplace_back("Content-Length", "0");  // a form without fields
  }
  auto& connection = connections_[port];
  if (!connection) connection = std::make_unique<test::http_client>(port);
  const auto start = std::chrono::steady_clock::now();
  test::http_response answer;
  try {
    answer = connection->request(method, target, headers, body);
  } catch (const boost::system::system_error&) {
    // The server closed an idle keep-alive connection: a browser reconnects and sends again.
    connection = std::make_unique<test::http_client>(port);
    answer = connection->request(method, target, headers, body);
  }
  took = std::chrono::steady_clock::now() - start;
  if (!answer.keep_alive) connection.reset();
  remember_cookies(answer);
  return answer;
}

void load_browser::remember_cookies(const test::http_response& response) {
  for (const auto& [name, value] : response.headers) {
    if (!boost::beast::iequals(name, "Set-Cookie")) continue;
    const std::string pair = value.substr(0, value.find(';'));
    const auto equals = pair.find('=');
    if (equals == std::string::npos) continue;
    std::string cookie_value = pair.substr(equals + 1);
    if (cookie_value.empty() || value.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(pair.substr(0, equals));
    } else {
      cookies_[pair.substr(0, equals)] = std::move(cookie_value);
    }
  }
}

std::string load_browser::cookie_header() const {
  std::string header;
  for (const auto& [name, value] : cookies_) {
    if (!header.empty()) header += "; ";
    header += name;
    header += '=';
    header += value;
  }
  return header;
}

}  // namespace varco::bench
