// http_fetcher over TLS against a real HTTPS server on loopback, with a self-signed certificate
// for CN=localhost made on the spot: trusted only when it is the client's CA file, and only for
// the name it carries.
#include "fetch_rig.hpp"
#include "tests/support/test_files.hpp"

#include <gtest/gtest.h>

namespace varco::gateway::testing {
namespace {

class https_fetch : public fetch_rig {
 protected:
  https_fetch() {
    test::write_self_signed_certificate(files_ / "cert.pem", files_ / "key.pem");
    server_tls_.use_certificate_chain_file((files_ / "cert.pem").string());
    server_tls_.use_private_key_file((files_ / "key.pem").string(), asio::ssl::context::pem);
    server_.respond_with([](const auto&) {
      return scripted_answer{
          {response_text("200 OK", R"({"keys":[]})", "Content-Type: application/json\r\n")}};
    });
  }

  std::string localhost_url(std::string_view path) const {
    return "https://localhost:" + std::to_string(server_.port()) + std::string(path);
  }

  test::temp_dir files_;
  asio::ssl::context server_tls_{asio::ssl::context::tls_server};
  loopback_server server_{io_, &server_tls_};
};

TEST_F(https_fetch, certificate_trusted_as_the_ca_file_is_verified) {
  auto trusting = client_context((files_ / "cert.pem").string());
  http_fetcher fetcher(*trusting);
  auto result = get(localhost_url("/jwks"), &fetcher);
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(result->body, R"({"keys":[]})");
  ASSERT_EQ(server_.server_names().size(), 1u);
  EXPECT_EQ(server_.server_names()[0], "localhost");  // SNI
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.requests()[0][http::field::host],
            "localhost:" + std::to_string(server_.port()));
}

TEST_F(https_fetch, system_store_does_not_trust_a_self_signed_certificate) {
  EXPECT_EQ(outcome(get(localhost_url("/jwks"))), "fetch_tls_failed");
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(https_fetch, certificate_for_another_name_is_refused) {
  auto trusting = client_context((files_ / "cert.pem").string());
  http_fetcher fetcher(*trusting);
  // The certificate names localhost, not the address it is reached at.
  EXPECT_EQ(outcome(get(server_.url("/jwks"), &fetcher)), "fetch_tls_failed");
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(https_fetch, server_that_never_completes_the_handshake_times_out) {
  // A listener that accepts nothing: the TCP connection completes in its backlog, the
  // ClientHello is never answered.
  tcp::acceptor silent(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto trusting = client_context((files_ / "cert.pem").string());
  http_fetcher fetcher(*trusting);
  fetch_request request;
  request.url = "https://localhost:" + std::to_string(silent.local_endpoint().port()) + "/";
  request.timeout = std::chrono::milliseconds(200);
  EXPECT_EQ(outcome(fetch(std::move(request), &fetcher)), "fetch_timeout");
}

TEST(client_tls_context, missing_ca_file_is_a_readable_error) {
  auto context = make_client_tls_context("/nonexistent/ca.pem");
  ASSERT_FALSE(context);
  EXPECT_NE(context.error().find("/nonexistent/ca.pem"), std::string::npos) << context.error();
}

}  // namespace
}  // namespace varco::gateway::testing
