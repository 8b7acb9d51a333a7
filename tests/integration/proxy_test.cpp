// The proxy at its edges: upstream failures and pooling, hostile or oversized input, big bodies
// streamed both ways, and WebSocket tunnelling.
#include "base/sha256.hpp"
#include "tests/integration/integration_stack.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace varco::integration {
namespace {

namespace http = boost::beast::http;
using std::chrono::steady_clock;

TEST(upstream_failures, refused_reset_and_slow_upstreams_get_502_and_504_naming_the_route) {
  settings config;
  config.response_timeout = "300ms";
  stack s(config);
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  ASSERT_EQ(http_get(s.port(), "/pagopa/x", with_cookie(id)).status, 200u);

  for (const auto failure : {test_upstream::behaviour::close, test_upstream::behaviour::reset}) {
    s.pagopa_collaudo.mode = failure;
    const auto json = http_get(s.port(), "/pagopa/x", as_api(with_cookie(id)));
    EXPECT_EQ(json.status, 502u) << json.body.substr(0, 200);
    EXPECT_EQ(json_field(json.body, "error"), "upstream_unavailable");
  }

  s.pagopa_collaudo.stop();  // nothing listens: connection refused
  const auto json = http_get(s.port(), "/pagopa/x", as_api(with_cookie(id)));
  EXPECT_EQ(json.status, 502u);
  EXPECT_EQ(json_field(json.body, "error"), "upstream_unavailable");
  EXPECT_EQ(json_field(json.body, "product"), "prod-pagopa");
  EXPECT_EQ(json_field(json.body, "environment"), "collaudo");
  const auto page = http_get(s.port(), "/pagopa/x", as_browser(with_cookie(id)));
  EXPECT_EQ(page.status, 502u);
  EXPECT_EQ(page.header("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("Piattaforma pagoPA"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Collaudo"), std::string::npos) << page.body;

  // The upstream comes back: the pool recovers without a restart.
  s.pagopa_collaudo.mode = test_upstream::behaviour::echo;
  s.pagopa_collaudo.start();
  EXPECT_TRUE(
      eventually([&] { return http_get(s.port(), "/pagopa/x", with_cookie(id)).status == 200; }));

  s.pagopa_collaudo.mode = test_upstream::behaviour::delay;
  s.pagopa_collaudo.delay_ms = 2000;
  const auto started = steady_clock::now();
  const auto slow = http_get(s.port(), "/pagopa/x", as_api(with_cookie(id)));
  const auto waited = steady_clock::now() - started;
  EXPECT_EQ(slow.status, 504u);
  EXPECT_EQ(json_field(slow.body, "error"), "upstream_timeout");
  EXPECT_EQ(json_field(slow.body, "product"), "prod-pagopa");
  EXPECT_EQ(json_field(slow.body, "environment"), "collaudo");
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 1500ms);
  const auto slow_page = http_get(s.port(), "/pagopa/x", as_browser(with_cookie(id)));
  EXPECT_EQ(slow_page.status, 504u);
  EXPECT_NE(slow_page.body.find("Piattaforma pagoPA"), std::string::npos);

  s.pagopa_collaudo.mode = test_upstream::behaviour::echo;
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", with_cookie(id)).status, 200u);
}

TEST(upstream_failures, keep_alive_connections_to_the_upstream_are_pooled) {
  stack s;
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  for (int i = 0; i < 20; ++i)  // a new client connection each time
    ASSERT_EQ(http_get(s.port(), "/pagopa/x", with_cookie(id)).status, 200u);
  EXPECT_EQ(s.pagopa_collaudo.requests(), 20u);
  EXPECT_LE(s.pagopa_collaudo.connections(), 4u);  // at most a couple per worker
  http_client client(s.port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.get("/pagopa/y", with_cookie(id)).status, 200u);
  EXPECT_EQ(s.pagopa_collaudo.requests(), 40u);
  EXPECT_LE(s.pagopa_collaudo.connections(), 4u);
}

TEST(hostile_input, oversized_and_malformed_requests_get_precise_errors_and_serving_goes_on) {
  settings config;
  config.header_bytes = "4KiB";
  config.body_bytes = "1MiB";
  stack s(config);
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});

  const auto big_header =
      http_get(s.port(), "/pagopa/x", with_cookie(id, {{"X-Grande", std::string(6000, 'g')}}));
  EXPECT_EQ(big_header.status, 431u);
  const auto many_headers = [&] {
    header_list headers;
    for (int i = 0; i < 300; ++i) headers.emplace_back("X-H" + std::to_string(i), "0123456789");
    return http_get(s.port(), "/pagopa/x", with_cookie(id, headers));
  }();
  EXPECT_EQ(many_headers.status, 431u);

  const auto too_large =
      send_raw(s.port(), "POST /pagopa/x HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + id +
                             "\r\nContent-Length: 2097152\r\n\r\n");
  EXPECT_EQ(too_large.rfind("HTTP/1.1 413", 0), 0u) << too_large;

  for (const std::string bad :
       {"NOT A REQUEST LINE\r\n\r\n", "GET /pagopa/x HTTP/1.1 extra\r\nHost: a\r\n\r\n",
        "GET /pagopa/x HTTP/1.1\r\nHost a\r\n\r\n"}) {
    const auto answer = send_raw(s.port(), bad);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << bad << " → " << answer;
  }

  EXPECT_EQ(http_get(s.port(), "/healthz").status, 200u);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", with_cookie(id)).status, 200u);
  EXPECT_TRUE(s.varco->running());
  EXPECT_EQ(s.pagopa_collaudo.requests(), 1u);  // nothing refused reached the product
}

TEST(streaming, big_bodies_pass_intact_both_ways_without_being_buffered) {
  settings config;
  config.body_bytes = "64MiB";
  stack s(config);
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  http_client client(s.port(), 120s);
  ASSERT_EQ(client.get("/pagopa/warm-up", with_cookie(id)).status, 200u);
  const long baseline_kib = s.varco->peak_rss_kib();
  ASSERT_GT(baseline_kib, 0);

  constexpr std::uint64_t down_size = 64u << 20;
  s.pagopa_collaudo.mode = test_upstream::behaviour::big_body;
  s.pagopa_collaudo.body_bytes = down_size;
  const auto down = client.get("/pagopa/scarica", with_cookie(id));
  ASSERT_EQ(down.status, 200u);
  ASSERT_EQ(down.body.size(), down_size);
  EXPECT_EQ(base::sha256_hex(down.body), base::sha256_hex(test_upstream::pattern(down_size)));

  constexpr std::uint64_t up_size = 32u << 20;
  s.pagopa_collaudo.mode = test_upstream::behaviour::sink;
  std::string upload = test_upstream::pattern(up_size);
  std::reverse(upload.begin(), upload.end());  // not the download's bytes
  const auto up = client.request(http::verb::put, "/pagopa/carica", with_cookie(id), upload);
  ASSERT_EQ(up.status, 200u) << up.body;
  const auto sunk = boost::json::parse(up.body).as_object();
  EXPECT_EQ(sunk.at("bytes").to_number<std::uint64_t>(), up_size);
  EXPECT_EQ(sunk.at("sha256").as_string(), base::sha256_hex(upload));

  // Streamed in small pieces: the peak grew far less than either body. Under ASan its quarantine
  // keeps freed chunks resident (17.5 MiB of growth measured), so the bound there is only below
  // the smaller body: holding either one whole still fails. (TSan: 4.8 MiB measured.)
#if defined(__SANITIZE_ADDRESS__)
  constexpr long bound_kib = 28 * 1024;
#else
  constexpr long bound_kib = 16 * 1024;
#endif
  const long grown_kib = s.varco->peak_rss_kib() - baseline_kib;
  RecordProperty("peak_rss_growth_kib", std::to_string(grown_kib));
  EXPECT_LT(grown_kib, bound_kib) << "baseline " << baseline_kib << " KiB";
}

TEST(streaming, a_chunked_upload_reaches_the_upstream_intact) {
  stack s;
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  s.pagopa_collaudo.mode = test_upstream::behaviour::sink;
  std::string chunked;
  std::string whole;
  for (int i = 0; i < 40; ++i) {
    const std::string piece(1000 + static_cast<std::size_t>(i) * 37,
                            static_cast<char>('a' + i % 26));
    whole += piece;
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    chunked += std::string(size) + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  const auto raw = send_raw(
      s.port(), "POST /pagopa/carica HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + id +
                    "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked);
  ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
  const auto body = boost::json::parse(raw.substr(raw.find("\r\n\r\n") + 4)).as_object();
  EXPECT_EQ(body.at("bytes").to_number<std::uint64_t>(), whole.size());
  EXPECT_EQ(body.at("sha256").as_string(), base::sha256_hex(whole));
}

TEST(streaming, a_websocket_upgrade_is_tunnelled_to_the_upstream) {
  stack s;
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  namespace websocket = boost::beast::websocket;
  boost::asio::io_context io;
  websocket::stream<boost::beast::tcp_stream> ws(io);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
  ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
    request.set(http::field::cookie, "varco_session=" + id);
  }));
  websocket::response_type handshake;
  ws.handshake(handshake, "127.0.0.1", "/pagopa/ws");
  EXPECT_EQ(handshake.result_int(), 101u);
  EXPECT_EQ(s.pagopa_collaudo.requests(), 1u);

  const std::vector<std::string> messages = {"ciao", "pagoPA", std::string(200000, 'w')};
  for (const auto& message : messages) {
    ws.text(message.size() < 100);
    ws.write(boost::asio::buffer(message));
    boost::beast::flat_buffer echo;
    ws.read(echo);
    EXPECT_EQ(boost::beast::buffers_to_string(echo.data()), message);
    EXPECT_EQ(ws.got_text(), message.size() < 100);
  }
  ws.close(websocket::close_code::normal);

  // Without a session the upgrade is refused before reaching the product.
  websocket::stream<boost::beast::tcp_stream> anonymous(io);
  anonymous.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
  boost::beast::error_code ec;
  anonymous.handshake("127.0.0.1", "/pagopa/ws", ec);
  EXPECT_TRUE(ec);
  EXPECT_EQ(s.pagopa_collaudo.requests(), 1u);
}

}  // namespace
}  // namespace varco::integration
