// Failures at the edges: upstream down or slow, hostile or oversized input, big bodies both ways,
// WebSocket upgrades, Redis going away and coming back.
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

TEST(gateway_upstream_failures, down_gives_502_slow_gives_504_and_the_pool_recovers) {
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

  stack.pagopa_collaudo.mode = test_upstream::behaviour::delay;
  stack.pagopa_collaudo.delay_ms = 1000;
  const auto slow = http_get(port, "/pagopa/x", as_api(with_cookie(cookie)));
  EXPECT_EQ(slow.status, 504u);
  EXPECT_EQ(json_field(slow.body, "error"), "upstream_timeout");
  stack.pagopa_collaudo.mode = test_upstream::behaviour::echo;
  EXPECT_EQ(http_get(port, "/pagopa/x", with_cookie(cookie)).status, 200u);
  // The access-log line is written after the answer is sent: wait for it, do not race it.
  EXPECT_TRUE(eventually([&] {
    return stack.gateway->output().find("\"reason\":\"upstream_timeout\"") != std::string::npos;
  })) << stack.gateway->output();
}

TEST(gateway_upstream_failures, keep_alive_connections_to_the_upstream_are_reused) {
  gateway_stack stack;
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  http_client client(stack.gateway->port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.get("/pagopa/x", with_cookie(cookie)).status, 200u);
  EXPECT_LE(stack.pagopa_collaudo.connections(), 2u);  // one pool per worker
}

TEST(gateway_hostile_input, oversized_garbled_and_too_large_requests_get_precise_errors) {
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

TEST(gateway_hostile_input, pipelined_requests_are_answered_in_order_and_slow_clients_are_cut_off) {
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
    return stack.gateway->output().find("\"reason\":\"header_timeout\"") != std::string::npos;
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

TEST(gateway_streaming, big_bodies_pass_intact_both_ways_without_being_buffered) {
  gateway_options options;
  options.body_bytes = "64MiB";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  http_client client(port);
  ASSERT_EQ(client.get("/pagopa/warm-up", with_cookie(cookie)).status, 200u);
  const long baseline_kib = stack.gateway->peak_rss_kib();
  ASSERT_GT(baseline_kib, 0);

  // 48 MiB up: the upstream's hash of what it received equals ours.
  std::string upload(48u << 20, '\0');
  for (std::size_t i = 0; i < upload.size(); ++i) upload[i] = static_cast<char>((i * 131) >> 7);
  const auto up =
      client.request(boost::beast::http::verb::post, "/pagopa/upload", with_cookie(cookie), upload);
  ASSERT_EQ(up.status, 200u);
  EXPECT_EQ(echoed(up).body_bytes, upload.size());

  // 64 MiB down.
  stack.pagopa_collaudo.body_bytes = 64u << 20;
  stack.pagopa_collaudo.mode = test_upstream::behaviour::big_body;
  const auto down = client.get("/pagopa/download", with_cookie(cookie));
  ASSERT_EQ(down.status, 200u);
  EXPECT_EQ(down.body.size(), 64u << 20);
  EXPECT_TRUE(down.body == test_upstream::pattern(64u << 20)) << "the download was altered";
  // Streamed in chunks, not held whole: the peak grew far less than either body. Measured from a
  // warm baseline, as a sanitizer's runtime and shadow make the absolute RSS meaningless (TSan:
  // 41 MiB at rest, 4.9 MiB of growth). ASan's quarantine keeps freed chunks resident, so there
  // the bound is only below the smaller body: holding either one whole still fails.
#if defined(__SANITIZE_ADDRESS__)
  constexpr long bound_kib = 28 * 1024;
#else
  constexpr long bound_kib = 16 * 1024;
#endif
  const long grown_kib = stack.gateway->peak_rss_kib() - baseline_kib;
  RecordProperty("peak_rss_growth_kib", std::to_string(grown_kib));
  EXPECT_LT(grown_kib, bound_kib) << "baseline " << baseline_kib << " KiB";
}

TEST(gateway_streaming, a_chunked_upload_is_re_framed_for_the_upstream) {
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

TEST(gateway_streaming, websocket_upgrades_are_tunnelled) {
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

TEST(gateway_readiness, readyz_follows_redis_and_metrics_count_requests) {
  test::redis_server own_redis;
  gateway_stack stack;
  // Point a second gateway at a Redis this test may kill.
  auto yaml = stack.config_yaml();
  const auto shared_port = "port: " + std::to_string(stack.redis.port()) + "}";
  yaml.replace(yaml.find(shared_port), shared_port.size(),
               "port: " + std::to_string(own_redis.port()) + "}");
  const auto gateway = stack.start_gateway_with(yaml, "own-redis");
  EXPECT_TRUE(eventually([&] { return http_get(gateway->port(), "/readyz").status == 200; }));
  own_redis.kill();
  EXPECT_TRUE(eventually([&] { return http_get(gateway->port(), "/readyz").status == 503; }));
  EXPECT_EQ(http_get(gateway->port(), "/healthz").status, 200u);  // alive, just not ready
  own_redis.restart();
  EXPECT_TRUE(eventually([&] { return http_get(gateway->port(), "/readyz").status == 200; },
                         std::chrono::seconds(10)));

  // Ready again means every worker has reconnected (each on its own backoff).
  const auto metrics = http_get(gateway->port(), "/metrics");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("varco_session_store_up 2\n"), std::string::npos) << metrics.body;
  EXPECT_NE(
      metrics.body.find("varco_http_requests_total{route=\"health\",class=\"5xx\",status=\"503\"}"),
      std::string::npos);
  EXPECT_NE(metrics.body.find("varco_redis_reconnects_total"), std::string::npos);
}

TEST(gateway_readiness, one_worker_without_its_redis_connection_makes_the_instance_not_ready) {
  test::redis_server own_redis;
  gateway_stack stack;
  auto yaml = stack.config_yaml();
  // Each worker has its own connection; the one cut below stays down for the rest of the test.
  const auto shared_port = "port: " + std::to_string(stack.redis.port()) + "}";
  yaml.replace(
      yaml.find(shared_port), shared_port.size(),
      "port: " + std::to_string(own_redis.port()) + ", reconnect_min: 10m, reconnect_max: 10m}");
  const auto gateway = stack.start_gateway_with(yaml, "one-worker-down");
  const auto store_up = [&](int workers) {
    return http_get(gateway->port(), "/metrics")
               .body.find("varco_session_store_up " + std::to_string(workers) + "\n") !=
           std::string::npos;
  };
  ASSERT_TRUE(eventually([&] { return store_up(2); }, std::chrono::seconds(10)))
      << gateway->output();
  EXPECT_EQ(http_get(gateway->port(), "/readyz").status, 200u);

  // varco names its connections: one "varco:sessions" per worker. Cut one: one worker loses
  // its store, the other keeps it.
  std::vector<std::string> store_clients;
  std::istringstream clients(own_redis.command({"CLIENT", "LIST"}));
  for (std::string line; std::getline(clients, line);) {
    if (line.find(" name=varco:sessions ") != std::string::npos)
      store_clients.push_back(line.substr(3, line.find(' ') - 3));  // "id=<n> addr=…"
  }
  ASSERT_EQ(store_clients.size(), 2u) << own_redis.command({"CLIENT", "LIST"});
  ASSERT_EQ(own_redis.command({"CLIENT", "KILL", "ID", store_clients.front()}), "1");
  ASSERT_TRUE(eventually([&] { return store_up(1); }, std::chrono::seconds(10)))
      << gateway->output();

  // Whichever worker answers, the instance is not ready: half its traffic would get 503.
  for (int probe = 0; probe < 20; ++probe) {
    const auto ready = http_get(gateway->port(), "/readyz");
    EXPECT_EQ(ready.status, 503u) << "probe " << probe << ": " << ready.body;
    EXPECT_NE(ready.body.find("\"session_store\":\"unreachable\""), std::string::npos)
        << ready.body;
  }
  EXPECT_NE(gateway->output().find("\"reason\":\"store_unavailable\""), std::string::npos);
  EXPECT_EQ(http_get(gateway->port(), "/healthz").status, 200u);  // alive, just not ready
}

}  // namespace
}  // namespace varco::integration
