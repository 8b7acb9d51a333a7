#include "gateway/http/response_scan.hpp"

#include "gateway/http/wire_format.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace varco::gateway {
namespace {

namespace http = boost::beast::http;
constexpr std::size_t limit = 64 * 1024;

struct scan_outcome {
  scan_status status;
  scanned_response response;
  std::string head;
};

scan_outcome scan(std::string_view bytes, bool keep_alive = true, unsigned client_version = 11) {
  scan_outcome out{};
  out.status = scan_response_head(bytes, limit, keep_alive, client_version, gateway_cookies{},
                                  out.response, out.head);
  return out;
}

// What the general path (Beast's parser, then response_head()) sends for the same bytes.
std::string beast_head(std::string_view bytes, bool keep_alive, unsigned client_version) {
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  EXPECT_FALSE(ec) << ec.message();
  return response_head(parser.get().base(), keep_alive, client_version);
}

TEST(response_scan, an_ordinary_response_is_relayed_as_the_general_path_would) {
  const std::string_view cases[] = {
      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
      "Connection: keep-alive\r\n\r\nhello",
      "HTTP/1.1 404 Not Found\r\nContent-Length:0\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n",
      "HTTP/1.0 201 Created\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\nConnection: "
      "keep-alive\r\nX-Trace:  spaced value \t\r\n\r\nok",
      "HTTP/1.1 500 \r\nContent-Length: 3\r\nTE: trailers\r\nTrailer: X\r\nUpgrade: h2c\r\n"
      "Proxy-Authenticate: Basic\r\n\r\nerr",
      "HTTP/1.1 200 Caf\xc3\xa9\r\nContent-Length: 1\r\nX-Obs: \xe2\x82\xac\r\n\r\nx",
      // Lines copied as they came, in runs broken by a reformatted line (no space, tab, two
      // spaces, trailing space) and by dropped ones, and an empty value after one space.
      "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC:3\r\nD: 4\r\nTE: x\r\nE: 5\r\nF:\t6\r\n"
      "G:  7\r\nH: 8 \r\nI: \r\nJ:\r\nConnection: keep-alive\r\nContent-Length: 1\r\n"
      "K: 9\r\n\r\nx",
  };
  for (auto bytes : cases) {
    for (bool keep_alive : {true, false}) {
      for (unsigned version : {10u, 11u}) {
        const auto out = scan(bytes, keep_alive, version);
        ASSERT_EQ(out.status, scan_status::ready) << bytes;
        EXPECT_EQ(out.head, beast_head(bytes, keep_alive, version)) << bytes;
      }
    }
  }
}

// Found by tests/fuzz/response_scan_fuzz: Beast groups a repeated field name at its first
// occurrence, the scanner keeps the wire order. Both keep each name's values in order, which is
// all RFC 9110 5.3 asks of a proxy.
TEST(response_scan, keeps_repeated_fields_in_wire_order) {
  const auto out = scan(
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Other: x\r\nSet-Cookie: b=2\r\n"
      "Content-Length: 0\r\n\r\n");
  ASSERT_EQ(out.status, scan_status::ready);
  EXPECT_EQ(out.head,
            "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Other: x\r\nSet-Cookie: b=2\r\n"
            "Content-Length: 0\r\n");
}

TEST(response_scan, reports_framing_and_reuse) {
  auto out = scan("HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n");
  ASSERT_EQ(out.status, scan_status::ready);
  EXPECT_EQ(out.response.status, 200u);
  EXPECT_EQ(out.response.content_length, 1024u);
  EXPECT_EQ(out.response.head_bytes, 41u);
  EXPECT_TRUE(out.response.upstream_keep_alive);
  EXPECT_FALSE(out.response.has_request_id);

  EXPECT_FALSE(scan("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                   .response.upstream_keep_alive);
  EXPECT_FALSE(scan("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").response.upstream_keep_alive);
  EXPECT_TRUE(scan("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")
                  .response.upstream_keep_alive);
  EXPECT_TRUE(scan("HTTP/1.1 200 OK\r\nx-request-id: abc\r\nContent-Length: 0\r\n\r\n")
                  .response.has_request_id);
}

TEST(response_scan, waits_for_the_blank_line_within_the_budget) {
  EXPECT_EQ(scan("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n").status, scan_status::need_more);
  EXPECT_EQ(scan("").status, scan_status::need_more);
  std::string huge = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(limit, 'a');
  EXPECT_EQ(scan(huge).status, scan_status::use_full_parser);
  huge += "\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(scan(huge).status, scan_status::use_full_parser);
}

// Everything unusual goes to the strict parser, which accepts or refuses it; the scanner never
// lets such a head through on its own reading.
TEST(response_scan, anything_unusual_is_left_to_the_full_parser) {
  const std::string_view cases[] = {
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n",  // close-delimited body
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
      "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",  // no SP after the code
      "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
      "ICY 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n",  // obs-fold
      "HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n: 1\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2\r\nContent-Length: 0\r\n\r\n",  // bare LF
      "HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\nContent-Length: 0\r\n\r\n",  // bare CR
      "HTTP/1.1 200 OK\r\nX-A: a\x7f\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nConnection: close, X-Internal\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nConnection: upgrade\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nProxy-Connection: close\r\nContent-Length: 0\r\n\r\n",
      // A product setting one of varco's cookies: the general path removes that Set-Cookie.
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: __Host-varco_session=x; Path=/\r\n"
      "Content-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nset-cookie: =varco_login=x\r\nContent-Length: 0\r\n\r\n",
      "\r\n\r\n",
  };
  for (auto bytes : cases) {
    EXPECT_EQ(scan(bytes).status, scan_status::use_full_parser) << bytes;
  }
  // A literal with an embedded NUL, sized by hand (a string_view of it would stop at the NUL).
  const std::string with_nul("HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n", 48);
  EXPECT_EQ(scan(with_nul).status, scan_status::use_full_parser);
}

}  // namespace
}  // namespace varco::gateway
