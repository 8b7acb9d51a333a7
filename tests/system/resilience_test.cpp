// Failures at the edges: upstream down or slow, hostile or oversized input, big bodies both ways,
// WebSocket upgrades, Redis going away and coming back.
#include "tests/system/gateway_fixture.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

namespace varco::system_test {
namespace {

TEST(upstream_failures, down_gives_502_slow_gives_504_and_the_pool_recovers) {
  gateway_options options;
  options.response_timeout = "300ms";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});

  ASSERT_EQ(http_get(port, "/pagopa/x", with_cookie(cookie)).status, 200u);
  stack.pagopa_collaudo.stop();
  const auto down = http_get(port, "/pagopa/x", as_api(with_cookie(cookie)));
  EXPECT_EQ(down.status, 502u);
  EXPECT_EQ(json_field(down.body, "error"), "upstream_unavailable");
  EXPECT_EQ(json_field(down.body, "product"), "prod-pagopa");
  EXPECT_EQ(json_field(down.body, "environment"), "collaudo");
  const auto page = http_get(port, "/pagopa/x", as_browser(with_cookie(cookie)));
  EXPECT_EQ(page.status, 502u);
  EXPECT_NE(page.body.find("Piattaforma pagoPA"), std::string::npos);
  EXPECT_NE(page.body.find("Ambiente di Collaudo"), std::string::npos);

  stack.pagopa_collaudo.start();
  EXPECT_TRUE(
      eventually([&] { return http_get(port, "/pagopa/x", with_cookie(cookie)).status == 200; }));

  stack.pagopa_collaudo.delay_ms = 1000;
  const auto slow = http_get(port, "/pagopa/x", as_api(with_cookie(cookie)));
  EXPECT_EQ(slow.status, 504u);
  EXPECT_EQ(json_field(slow.body, "error"), "upstream_timeout");
  stack.pagopa_collaudo.delay_ms = 0;
  EXPECT_EQ(http_get(port, "/pagopa/x", with_cookie(cookie)).status, 200u);
  EXPECT_NE(stack.gateway->log().find("\"reason\":\"upstream_timeout\""), std::string::npos);
}

TEST(upstream_failures, keep_alive_connections_to_the_upstream_are_reused) {
  gateway_stack stack;
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  http_client client(stack.gateway->port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.get("/pagopa/x", with_cookie(cookie)).status, 200u);
  EXPECT_LE(stack.pagopa_collaudo.connections(), 2u);  // one pool per worker
}

TEST(hostile_input, oversized_garbled_and_too_large_requests_get_precise_errors) {
  gateway_options options;
  options.header_bytes = "4KiB";
  options.body_bytes = "1KiB";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});

  const auto big_header =
      http_get(port, "/pagopa/x", with_cookie(cookie, {{"X-Big", std::string(8000, 'a')}}));
  EXPECT_EQ(big_header.status, 431u);

  const auto too_large =
      send_raw(port, "POST /pagopa/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_EQ(too_large.rfind("HTTP/1.1 413", 0), 0u) << too_large;

  const auto garbled = send_raw(port, "GET /pagopa/x HTTP/1.1\r\nHost a\r\n\r\n");
  EXPECT_EQ(garbled.rfind("HTTP/1.1 400", 0), 0u) << garbled;

  const auto smuggled = send_raw(port,
                                 "POST /pagopa/x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                                 "Content-Length: 5\r\n\r\nabcd");
  EXPECT_EQ(smuggled.rfind("HTTP/1.1 400", 0), 0u) << smuggled;

  // The process is still serving.
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);
  EXPECT_EQ(http_get(port, "/pagopa/x", with_cookie(cookie)).status, 200u);
  EXPECT_EQ(stack.gateway->wait_exit(std::chrono::milliseconds(1)), -1);
}

TEST(hostile_input, pipelined_requests_are_answered_in_order_and_slow_clients_are_cut_off) {
  gateway_options options;
  options.header_read = "300ms";
  options.idle_keep_alive = "500ms";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  // /readyz below answers from whichever worker takes the connection: both must have reached
  // Redis (each connects on its own after start).
  ASSERT_TRUE(eventually([&] {
    return http_get(port, "/metrics").body.find("varco_session_store_up 2") != std::string::npos;
  }));

  // Three requests in one write: three answers, in order, on the one connection.
  const std::string one = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string last = "GET /readyz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  const auto answers = send_raw(port, one + one + last);
  std::size_t count = 0;
  for (auto at = answers.find("HTTP/1.1 200"); at != std::string::npos;
       at = answers.find("HTTP/1.1 200", at + 1))
    ++count;
  EXPECT_EQ(count, 3u) << answers;
  EXPECT_LT(answers.find("\"status\":\"ok\""), answers.find("\"status\":\"ready\""));

  // A header that never ends (slowloris) is cut off after header_read, logged as 408.
  const auto started = std::chrono::steady_clock::now();
  const auto slow =
      send_raw(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ", std::chrono::seconds(5));
  EXPECT_TRUE(slow.empty()) << slow;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_TRUE(eventually([&] {
    return stack.gateway->log().find("\"reason\":\"header_timeout\"") != std::string::npos;
  }));

  // An idle keep-alive connection is closed by the server once idle_keep_alive has passed
  // (send_raw reads until the server closes).
  const auto idle_started = std::chrono::steady_clock::now();
  const auto idle = send_raw(port, one, std::chrono::seconds(5));
  const auto idle_for = std::chrono::steady_clock::now() - idle_started;
  EXPECT_EQ(idle.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_GE(idle_for, std::chrono::milliseconds(400));
  EXPECT_LT(idle_for, std::chrono::seconds(3));
  EXPECT_EQ(http_get(port, "/healthz").status, 200u);
}

TEST(streaming, big_bodies_pass_intact_both_ways_without_being_buffered) {
  gateway_options options;
  options.body_bytes = "64MiB";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});

  // 48 MiB up: the upstream's hash of what it received equals ours.
  std::string upload(48u << 20, '\0');
  for (std::size_t i = 0; i < upload.size(); ++i) upload[i] = static_cast<char>((i * 131) >> 7);
  http_client client(port);
  const auto up =
      client.request(boost::beast::http::verb::post, "/pagopa/upload", with_cookie(cookie), upload);
  ASSERT_EQ(up.status, 200u);
  EXPECT_EQ(echoed(up).body_bytes, upload.size());

  // 64 MiB down.
  stack.pagopa_collaudo.download_bytes = 64u << 20;
  const auto down = client.get("/pagopa/download", with_cookie(cookie));
  ASSERT_EQ(down.status, 200u);
  EXPECT_EQ(down.body.size(), 64u << 20);
  EXPECT_EQ(down.body.find_first_not_of('v'), std::string::npos);
  // Far below either body: streamed in chunks, not held whole. (A sanitizer build's shadow
  // memory and quarantine make RSS meaningless; there the bodies' integrity is what is checked.)
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(stack.gateway->peak_rss_kib(), 40 * 1024);
#endif
}

TEST(streaming, a_chunked_upload_is_re_framed_for_the_upstream) {
  gateway_stack stack;
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto raw = send_raw(stack.gateway->port(),
                            "POST /pagopa/up HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\n"
                            "Cookie: varco_session=" +
                                cookie +
                                "\r\nTransfer-Encoding: chunked\r\n"
                                "Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
  const auto body = raw.substr(raw.find("\r\n\r\n") + 4);
  const auto echo = boost::json::parse(body).as_object();
  EXPECT_EQ(echo.at("body_bytes").to_number<std::uint64_t>(), 11u);
  // sha256("hello world")
  EXPECT_EQ(echo.at("body_sha256").as_string(),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  // Only the proxy's own framing reached the upstream: chunked, and no Content-Length beside it.
  bool content_length = false;
  for (const auto& header : echo.at("headers").as_array())
    if (boost::beast::iequals(header.as_array()[0].as_string(), "content-length"))
      content_length = true;
  EXPECT_FALSE(content_length);
}

TEST(streaming, websocket_upgrades_are_tunnelled) {
  gateway_stack stack;
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  namespace websocket = boost::beast::websocket;
  boost::asio::io_context io;
  websocket::stream<boost::beast::tcp_stream> ws(io);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), stack.gateway->port()});
  ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
    request.set(boost::beast::http::field::cookie, "varco_session=" + cookie);
  }));
  ws.handshake("127.0.0.1", "/pagopa/ws");
  for (const std::string& message :
       std::vector<std::string>{"ciao", "varco", std::string(100000, 'w')}) {
    ws.write(boost::asio::buffer(message));
    boost::beast::flat_buffer echo;
    ws.read(echo);
    EXPECT_EQ(boost::beast::buffers_to_string(echo.data()), message);
  }
  ws.close(websocket::close_code::normal);
}

TEST(readiness, readyz_follows_redis_and_metrics_count_requests) {
  test::redis_server own_redis;
  gateway_stack stack;
  // Point a second gateway at a Redis this test may kill.
  auto yaml = stack.config_yaml();
  const auto shared_port = "port: " + std::to_string(stack.redis.port()) + "}";
  yaml.replace(yaml.find(shared_port), shared_port.size(),
               "port: " + std::to_string(own_redis.port()) + "}");
  gateway_process gateway(stack.dir, yaml, "own-redis");
  EXPECT_TRUE(eventually([&] { return http_get(gateway.port(), "/readyz").status == 200; }));
  own_redis.kill();
  EXPECT_TRUE(eventually([&] { return http_get(gateway.port(), "/readyz").status == 503; }));
  EXPECT_EQ(http_get(gateway.port(), "/healthz").status, 200u);  // alive, just not ready
  own_redis.restart();
  EXPECT_TRUE(eventually([&] { return http_get(gateway.port(), "/readyz").status == 200; },
                         std::chrono::seconds(10)));

  // /readyz answers from the worker that took the request; each worker reconnects on its own
  // backoff, so wait for both before reading the gauge.
  EXPECT_TRUE(eventually(
      [&] {
        return http_get(gateway.port(), "/metrics").body.find("varco_session_store_up 2") !=
               std::string::npos;
      },
      std::chrono::seconds(10)));
  const auto metrics = http_get(gateway.port(), "/metrics");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(
      metrics.body.find("varco_http_requests_total{route=\"health\",class=\"5xx\",status=\"503\"}"),
      std::string::npos);
  EXPECT_NE(metrics.body.find("varco_redis_reconnects_total"), std::string::npos);
}

}  // namespace
}  // namespace varco::system_test
