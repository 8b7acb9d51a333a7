// The process around the requests: reload on SIGHUP, drain on SIGTERM, readiness following
// Redis, metrics and request ids, and the TLS listener's protocol versions.
#include "tests/integration/integration_stack.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <csignal>
#include <future>

namespace varco::integration {
namespace {

using std::chrono::steady_clock;

TEST(reload, a_broken_config_is_refused_and_a_good_one_applied_without_dropping_connections) {
  stack s;
  // Ready once every worker's Redis connection is up (it may still be connecting when the process
  // has just started, more so under a sanitizer): the reload below must not change that.
  ASSERT_TRUE(eventually([&] { return http_get(s.port(), "/readyz").status == 200; }));
  const auto id = s.session_for(manager_cf, institution,
                                {{"prod-pagopa", "collaudo"}, {"prod-nuovo", "collaudo"}});
  http_client kept(s.port());
  ASSERT_EQ(kept.get("/pagopa/x", with_cookie(id)).status, 200u);
  EXPECT_EQ(kept.get("/nuovo/x", as_api(with_cookie(id))).status, 404u);

  write_file(s.varco->config_path(), "server: [unclosed: {\n  - nonsense\n");
  s.varco->signal(SIGHUP);
  ASSERT_TRUE(eventually(
      [&] { return s.varco->output().find("reason=config_invalid") != std::string::npos; }));
  EXPECT_TRUE(s.varco->running());
  EXPECT_EQ(kept.get("/pagopa/x", with_cookie(id)).status, 200u);
  EXPECT_EQ(http_get(s.port(), "/pagopa/x", with_cookie(id)).status, 200u);
  EXPECT_EQ(http_get(s.port(), "/readyz").status, 200u);

  test_upstream nuovo;
  s.config.extra_products =
      "  - id: prod-nuovo\n    title: Prodotto Nuovo\n    path_prefix: /nuovo\n"
      "    strip_path_prefix: true\n    required_party_roles: [MANAGER]\n"
      "    environments:\n      - {id: collaudo, upstreams: [" +
      nuovo.url() + "], audience: nuovo-collaudo}\n";
  write_file(s.varco->config_path(), s.config_yaml());
  s.varco->signal(SIGHUP);
  ASSERT_TRUE(eventually(
      [&] { return http_get(s.port(), "/nuovo/x", as_api(with_cookie(id))).status == 200; }));
  // The connection opened before both reloads was never dropped and now sees the new route.
  ASSERT_TRUE(kept.open());
  const auto routed = kept.get("/nuovo/ciao", with_cookie(id));
  EXPECT_EQ(routed.status, 200u) << routed.body;
  EXPECT_EQ(echoed(routed).target, "/ciao");
  EXPECT_EQ(echoed(routed).value("X-Varco-Product"), "prod-nuovo");
  EXPECT_EQ(kept.get("/pagopa/x", with_cookie(id)).status, 200u);
  EXPECT_TRUE(s.varco->running());
}

TEST(drain, sigterm_finishes_the_request_in_flight_refuses_new_ones_and_exits_0) {
  stack s;  // drain: 10s
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto port = s.port();
  s.pagopa_collaudo.mode = test_upstream::behaviour::delay;
  s.pagopa_collaudo.delay_ms = 1000;
  auto in_flight = std::async(std::launch::async,
                              [&] { return http_get(port, "/pagopa/lento", with_cookie(id)); });
  ASSERT_TRUE(eventually([&] { return s.pagopa_collaudo.requests() == 1; }));
  const auto signalled = steady_clock::now();
  s.varco->signal(SIGTERM);

  // The listener is closed at once, while the slow request is still in flight.
  const bool refusing = eventually(
      [&] {
        try {
          http_get(port, "/healthz");
          return false;
        } catch (const std::exception&) {
          return true;
        }
      },
      2s, 5ms);
  EXPECT_TRUE(refusing);
  EXPECT_EQ(in_flight.wait_for(0s), std::future_status::timeout) << "finished before the check";

  const auto answer = in_flight.get();
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(echoed(answer).target, "/lento");
  EXPECT_EQ(s.varco->wait_exit(8s), 0) << s.varco->output();
  EXPECT_LT(steady_clock::now() - signalled, 10s);  // within the drain deadline
}

TEST(readiness, readyz_follows_redis_and_metrics_and_request_ids_are_there) {
  redis_server own;  // this test kills it; never the shared one
  settings config;
  config.redis_port = own.port();
  stack s(config);
  ASSERT_TRUE(eventually([&] { return http_get(s.port(), "/readyz").status == 200; }));

  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto proxied = http_get(s.port(), "/pagopa/x", with_cookie(id));
  ASSERT_EQ(proxied.status, 200u);
  EXPECT_EQ(proxied.count("X-Request-Id"), 1u);
  EXPECT_EQ(echoed(proxied).value("X-Request-Id"), proxied.header("X-Request-Id"));
  EXPECT_EQ(http_get(s.port(), "/nessuno").count("X-Request-Id"), 1u);
  // A client is no trusted proxy: its request id is not taken.
  const auto chosen =
      http_get(s.port(), "/pagopa/x", with_cookie(id, {{"X-Request-Id", "scelto-dal-client"}}));
  EXPECT_NE(chosen.header("X-Request-Id"), "scelto-dal-client");
  EXPECT_EQ(echoed(chosen).value("X-Request-Id"), chosen.header("X-Request-Id"));

  own.kill();
  EXPECT_TRUE(eventually([&] { return http_get(s.port(), "/readyz").status == 503; }));
  EXPECT_NE(http_get(s.port(), "/readyz").body.find("unreachable"), std::string::npos);
  EXPECT_EQ(http_get(s.port(), "/healthz").status, 200u);  // alive, just not ready
  own.restart();
  EXPECT_TRUE(eventually([&] { return http_get(s.port(), "/readyz").status == 200; }, 15s, 20ms));

  const auto metrics = http_get(s.port(), "/metrics");
  ASSERT_EQ(metrics.status, 200u);
  for (const char* line :
       {"varco_http_requests_total{", "varco_upstream_latency_seconds_bucket{",
        "varco_upstream_latency_seconds_count", "status=\"503\"", "varco_active_connections"})
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << "\n" << metrics.body;
}

// The TLS version a client limited to [min, max] gets for GET /healthz, or "" when refused.
std::string tls_healthz(std::uint16_t port, int min_version, int max_version) {
  namespace ssl = boost::asio::ssl;
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), min_version);
  SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  SSL_CTX_set_security_level(context.native_handle(), 0);  // so the client may offer old versions
  context.set_verify_mode(ssl::verify_none);               // self-signed test certificate
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream(io, context);
  boost::beast::get_lowest_layer(stream).connect(
      {boost::asio::ip::make_address("127.0.0.1"), port});
  boost::beast::get_lowest_layer(stream).expires_after(10s);
  boost::beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return {};
  const std::string version = SSL_get_version(stream.native_handle());
  http::request<http::empty_body> request{http::verb::get, "/healthz", 11};
  request.set(http::field::host, "localhost");
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return response.result_int() == 200 ? version : "status " + std::to_string(response.result_int());
}

TEST(tls_listener, tls_1_2_and_1_3_clients_are_served_and_older_ones_refused) {
  temp_dir certificates;
  write_self_signed_certificate(certificates / "cert.pem", certificates / "key.pem");
  settings config;
  config.listener_tls = ", tls: {certificate: " + (certificates / "cert.pem").string() +
                        ", key: " + (certificates / "key.pem").string() + "}";
  stack s(config);
  EXPECT_EQ(tls_healthz(s.port(), TLS1_2_VERSION, TLS1_2_VERSION), "TLSv1.2");
  EXPECT_EQ(tls_healthz(s.port(), TLS1_3_VERSION, TLS1_3_VERSION), "TLSv1.3");
  EXPECT_EQ(tls_healthz(s.port(), TLS1_VERSION, TLS1_1_VERSION), "");
  EXPECT_EQ(tls_healthz(s.port(), TLS1_VERSION, TLS1_VERSION), "");
  // Plain HTTP on the TLS port gets no HTTP answer.
  EXPECT_EQ(
      send_raw(s.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 1s).rfind("HTTP/1.1 200", 0),
      std::string::npos);
  EXPECT_TRUE(s.varco->running());
}

}  // namespace
}  // namespace varco::integration
