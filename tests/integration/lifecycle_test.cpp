// The process around the requests: two instances on one Redis, reload, drain, the embedded memory
// store and the TLS listener.
#include "base/openssl_handles.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <csignal>
#include <future>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

TEST(gateway_two_instances, share_sessions_and_a_deleted_session_is_refused_by_both_within_100ms) {
  gateway_options options;
  options.cache_ttl = "30s";  // revocation, not cache expiry, must be what evicts it
  gateway_stack stack(options);
  auto second = stack.start_gateway("second");
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const std::uint16_t ports[] = {stack.gateway->port(), second->port()};
  // Both workers of both instances have it cached (a few connections spread over the workers).
  for (const auto port : ports)
    for (int i = 0; i < 6; ++i)
      ASSERT_EQ(http_get(port, "/pagopa/x", with_cookie(cookie)).status, 200u);

  const auto deleted_at = std::chrono::steady_clock::now();
  delete_session(stack.redis.port(), cookie);
  for (const auto port : ports) {
    EXPECT_TRUE(eventually(
        [&] {
          for (int i = 0; i < 4; ++i)
            if (http_get(port, "/pagopa/x", as_api(with_cookie(cookie))).status != 401)
              return false;
          return true;
        },
        std::chrono::milliseconds(1000), std::chrono::milliseconds(2)));
  }
  const auto took = std::chrono::steady_clock::now() - deleted_at;
  // ThreadSanitizer slows every memory access 5-15 times (105.8 ms measured once): there the
  // bound only says the revocation message, not a cache expiry (30 s), ended the session.
#if defined(__SANITIZE_THREAD__)
  EXPECT_LT(took, std::chrono::milliseconds(500));
#else
  EXPECT_LT(took, std::chrono::milliseconds(100));
#endif
}

TEST(listeners, a_second_process_on_a_served_port_refuses_to_start) {
  gateway_stack stack;
  // The same port as the running gateway: with SO_REUSEPORT alone it would silently take a share
  // of the connections (seen: a test's login landing on another test's varco, unknown_idp).
  auto yaml = stack.config_yaml();
  const std::string any_port = "port: 0";
  yaml.replace(yaml.find(any_port), any_port.size(),
               "port: " + std::to_string(stack.gateway->port()));
  try {
    const auto second = stack.start_gateway_with(yaml, "second");
    ADD_FAILURE() << "a second varco started on port " << second->port();
  } catch (const std::runtime_error& e) {
    const std::string why = e.what();
    EXPECT_NE(why.find("another process already listens on port " +
                       std::to_string(stack.gateway->port())),
              std::string::npos)
        << why;
    EXPECT_NE(why.find("reason=listen_failed"), std::string::npos) << why;
  }
  for (int i = 0; i < 8; ++i) EXPECT_EQ(http_get(stack.gateway->port(), "/healthz").status, 200u);
}

TEST(gateway_reload,
     a_broken_config_is_refused_and_a_good_one_is_applied_without_dropping_connections) {
  gateway_stack stack;
  const auto cookie = stack.cookie_for(manager_cf, institution,
                                       {{"prod-pagopa", "collaudo"}, {"prod-extra", "collaudo"}});
  http_client kept(stack.gateway->port());
  ASSERT_EQ(kept.get("/pagopa/x", with_cookie(cookie)).status, 200u);

  write_file(stack.gateway->config_path(), "server: [this is not: valid\n");
  stack.gateway->signal(SIGHUP);
  EXPECT_TRUE(eventually(
      [&] { return stack.gateway->output().find("reason=config_invalid") != std::string::npos; }));
  EXPECT_EQ(kept.get("/pagopa/x", with_cookie(cookie)).status, 200u);
  EXPECT_EQ(http_get(stack.gateway->port(), "/pagopa/x", with_cookie(cookie)).status, 200u);

  stack.options.extra_products =
      "  - id: prod-extra\n    title: Extra\n    path_prefix: /extra\n    required_party_roles: "
      "[MANAGER]\n"
      "    environments:\n      - {id: collaudo, upstreams: [" +
      stack.io_collaudo.url() + "]}\n";
  write_file(stack.gateway->config_path(), stack.config_yaml());
  stack.gateway->signal(SIGHUP);
  EXPECT_TRUE(eventually([&] {
    return http_get(stack.gateway->port(), "/readyz").body.find("\"config_generation\":2") !=
           std::string::npos;
  }));
  // The new route works, and the connection opened before both reloads is still serving.
  EXPECT_EQ(kept.get("/extra/y", as_api(with_cookie(cookie))).status, 403u);  // no membership on it
  EXPECT_TRUE(kept.open());
  EXPECT_EQ(kept.get("/pagopa/x", with_cookie(cookie)).status, 200u);
}

TEST(gateway_drain, sigterm_lets_in_flight_requests_finish_then_exits_0) {
  gateway_stack stack;
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto port = stack.gateway->port();
  stack.pagopa_collaudo.mode = test_upstream::behaviour::delay;
  stack.pagopa_collaudo.delay_ms = 700;
  auto in_flight = std::async(std::launch::async,
                              [&] { return http_get(port, "/pagopa/slow", with_cookie(cookie)); });
  // The request has reached the upstream (it is in flight) before the signal.
  ASSERT_TRUE(eventually([&] { return stack.pagopa_collaudo.connections() == 1; }));
  stack.gateway->signal(SIGTERM);
  const auto answer = in_flight.get();
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(stack.gateway->wait_exit(std::chrono::seconds(5)), 0);
  EXPECT_THROW(http_get(port, "/healthz"), std::exception);  // nobody listens any more
}

TEST(gateway_memory_store, a_single_instance_runs_without_redis) {
  gateway_options options;
  options.store = "memory";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  const auto ready = http_get(port, "/readyz");
  EXPECT_EQ(ready.status, 200u);
  EXPECT_NE(ready.body.find("\"session_store\":\"ok\""), std::string::npos);
  EXPECT_EQ(http_get(port, "/pagopa/x", as_api()).status, 401u);
  EXPECT_EQ(http_get(port, "/pagopa/x", as_browser()).status, 302u);
  // A session written to Redis means nothing to an instance on its own memory store.
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  EXPECT_EQ(http_get(port, "/pagopa/x", as_api(with_cookie(cookie))).status, 401u);
}

// The TLS version a client limited to [min, max] gets, or "" when the handshake fails.
std::string handshake(std::uint16_t port, int min_version, int max_version) {
  boost::asio::io_context io;
  boost::asio::ssl::context context(boost::asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), min_version);
  SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  SSL_CTX_set_security_level(context.native_handle(), 0);  // let the client offer old versions
  context.set_verify_mode(boost::asio::ssl::verify_none);  // self-signed test certificate
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream(io, context);
  boost::beast::get_lowest_layer(stream).connect(
      {boost::asio::ip::make_address("127.0.0.1"), port});
  boost::beast::error_code ec;
  stream.handshake(boost::asio::ssl::stream_base::client, ec);
  if (ec) return {};
  const std::string version = SSL_get_version(stream.native_handle());
  boost::beast::http::request<boost::beast::http::empty_body> request{boost::beast::http::verb::get,
                                                                      "/healthz", 11};
  request.set(boost::beast::http::field::host, "localhost");
  boost::beast::http::write(stream, request);
  boost::beast::flat_buffer buffer;
  boost::beast::http::response<boost::beast::http::string_body> response;
  boost::beast::http::read(stream, buffer, response);
  return response.result_int() == 200 ? version
                                      : "answered " + std::to_string(response.result_int());
}

TEST(gateway_tls_listener, serves_tls_1_2_and_1_3_and_refuses_older_versions) {
  temp_dir certs;
  write_self_signed_certificate(certs / "cert.pem", certs / "key.pem");
  gateway_options options;
  options.tls = "{certificate: " + (certs / "cert.pem").string() +
                ", key: " + (certs / "key.pem").string() + "}";
  gateway_stack stack(options);
  const auto port = stack.gateway->port();
  EXPECT_EQ(handshake(port, TLS1_3_VERSION, TLS1_3_VERSION), "TLSv1.3");
  EXPECT_EQ(handshake(port, TLS1_2_VERSION, TLS1_2_VERSION), "TLSv1.2");
  EXPECT_EQ(handshake(port, TLS1_VERSION, TLS1_1_VERSION), "");
}

}  // namespace
}  // namespace varco::integration
