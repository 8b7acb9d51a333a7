// The body caps of varco's own endpoints, as an attacker probes them: for every capped route of
// gateway/routing/reserved_routes.hpp (the table the server applies), a declared Content-Length
// over the cap is answered 413 before a byte of the body is sent, a chunked body is cut at the cap,
// and the access log's bytes_in shows that varco read no more than the cap plus one read buffer. A
// body at the cap is read and reaches the endpoint. Real varco, real IdP, raw loopback sockets.
#include "gateway/routing/reserved_routes.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/eventually.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace varco::integration {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

// What varco may read beyond a cap: one read into its connection buffer (limits.header_bytes,
// 16 KiB by default, plus one 16 KiB chunk).
constexpr std::size_t read_buffer_bytes = 32 * 1024;

constexpr const char* generous_limits = R"(rate_limits:
  login: {requests: 100000, window: 1m}
  acs: {requests: 100000, window: 1m}
  forms: {requests: 100000, window: 1m}
)";

// One raw client connection: bytes written as given, one response read with a real parser.
class raw_client {
 public:
  explicit raw_client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }
  http::response<http::string_body> response() {
    http::response<http::string_body> out;
    http::read(socket_, buffer_, out);
    return out;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

std::string head(std::string_view path, std::string_view framing) {
  return "POST " + std::string(path) +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
         std::string(framing) + "\r\n";
}

std::string chunked(std::size_t total, std::size_t chunk) {
  std::string out;
  std::ostringstream size;
  size << std::hex << chunk;
  const std::string piece = size.str() + "\r\n" + std::string(chunk, 'a') + "\r\n";
  for (std::size_t sent = 0; sent < total; sent += chunk) out += piece;
  return out + "0\r\n\r\n";
}

// The access log line of the request `request_id`, polled: it is written just after the answer.
boost::json::object access_line(const saml_stack& stack, const std::string& request_id) {
  boost::json::object found;
  EXPECT_TRUE(test::eventually([&] {
    std::istringstream lines(stack.varco->stdout_text());
    for (std::string line; std::getline(lines, line);) {
      if (line.find(request_id) == std::string::npos || line.front() != '{') continue;
      boost::system::error_code ec;
      auto parsed = boost::json::parse(line, ec);
      if (!ec && parsed.is_object() && parsed.as_object().contains("bytes_in")) {
        found = parsed.as_object();
        return true;
      }
    }
    return false;
  })) << "no access log line for "
      << request_id;
  return found;
}

std::uint64_t bytes_in(const boost::json::object& line) {
  return line.contains("bytes_in") ? line.at("bytes_in").to_number<std::uint64_t>() : ~0ull;
}

class body_caps : public ::testing::Test {
 protected:
  static saml_settings settings() {
    saml_settings s;
    s.extra_config = generous_limits;
    return s;
  }
  saml_stack stack{settings()};
};

TEST_F(body_caps, a_declared_length_over_the_cap_is_refused_before_the_body) {
  for (const auto& route : gateway::reserved_routes()) {
    if (route.max_body_bytes == 0) continue;  // takes no form
    SCOPED_TRACE(std::string(route.path));
    // Only the head: the answer must come without varco waiting for a body it would not read.
    raw_client client(stack.port());
    client.send(
        head(route.path, "Content-Length: " + std::to_string(route.max_body_bytes + 1) + "\r\n"));
    const auto answer = client.response();
    EXPECT_EQ(answer.result_int(), 413u);
    EXPECT_NE(answer.body().find("body_too_large"), std::string::npos) << answer.body();
    EXPECT_FALSE(answer.keep_alive());
    EXPECT_EQ(bytes_in(access_line(stack, std::string(answer["X-Request-Id"]))), 0u);
  }
  // Far over every cap (the generic 10 MiB product limit is not what applies), and with a JSON
  // client: the same 413, as JSON.
  raw_client client(stack.port());
  client.send(
      "POST /saml/acs HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
      "Content-Length: 9000000\r\n\r\n" +
      std::string(4096, 'a'));
  const auto answer = client.response();
  EXPECT_EQ(answer.result_int(), 413u);
  EXPECT_EQ(answer[http::field::content_type], "application/json");
  EXPECT_LE(bytes_in(access_line(stack, std::string(answer["X-Request-Id"]))), read_buffer_bytes);
  EXPECT_EQ(test::http_get(stack.port(), "/healthz").status, 200u);
}

TEST_F(body_caps, a_declared_length_over_the_cap_never_gets_100_continue) {
  raw_client client(stack.port());
  client.send(head("/area/party", "Expect: 100-continue\r\nContent-Length: 100000\r\n"));
  const auto answer = client.response();  // the first answer is the refusal, not 100 Continue
  EXPECT_EQ(answer.result_int(), 413u);
}

TEST_F(body_caps, a_chunked_body_is_cut_at_the_cap) {
  for (const auto& route : gateway::reserved_routes()) {
    if (route.max_body_bytes == 0) continue;  // takes no form
    SCOPED_TRACE(std::string(route.path));
    raw_client client(stack.port());
    // 64 KiB past the cap, in 4 KiB chunks: varco stops reading at the cap and answers.
    client.send(head(route.path, "Transfer-Encoding: chunked\r\n") +
                chunked(route.max_body_bytes + 64 * 1024, 4096));
    const auto answer = client.response();
    EXPECT_EQ(answer.result_int(), 413u);
    EXPECT_NE(answer.body().find("body_too_large"), std::string::npos);
    const auto read = bytes_in(access_line(stack, std::string(answer["X-Request-Id"])));
    EXPECT_GT(read, 0u);
    EXPECT_LE(read, route.max_body_bytes + read_buffer_bytes);
  }
  // One chunk that alone declares more than the cap is refused on its size line.
  raw_client client(stack.port());
  client.send(head("/saml/acs", "Transfer-Encoding: chunked\r\n") + "10000000\r\n" +
              std::string(1000, 'a'));
  const auto answer = client.response();
  EXPECT_EQ(answer.result_int(), 413u);
  EXPECT_LE(bytes_in(access_line(stack, std::string(answer["X-Request-Id"]))), read_buffer_bytes);
}

TEST_F(body_caps, a_body_at_the_cap_reaches_the_endpoint) {
  for (const auto& route : gateway::reserved_routes()) {
    if (route.max_body_bytes == 0) continue;  // takes no form
    SCOPED_TRACE(std::string(route.path));
    const std::string body = "x=" + std::string(route.max_body_bytes - 2, 'a');
    for (const bool as_chunks : {false, true}) {
      raw_client client(stack.port());
      client.send(
          as_chunks
              ? head(route.path, "Transfer-Encoding: chunked\r\n") +
                    chunked(route.max_body_bytes, route.max_body_bytes)
              : head(route.path, "Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
      const auto answer = client.response();
      // Whatever the endpoint makes of a form without a session or a SAML message, it is not a
      // size refusal: the whole body was read and handed to it.
      EXPECT_NE(answer.result_int(), 413u) << answer.body();
      EXPECT_NE(answer.result_int(), 0u);
      EXPECT_EQ(
          bytes_in(access_line(stack, std::string(answer["X-Request-Id"]))),
          as_chunks ? chunked(route.max_body_bytes, route.max_body_bytes).size() : body.size());
    }
  }
}

}  // namespace
}  // namespace varco::integration
