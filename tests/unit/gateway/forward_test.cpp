// Product forwarding end to end in-process: a client on loopback, the product path's head rewrite
// and forward(), and a Beast upstream on loopback that records what it received.
#include "loopback_upstream.hpp"
#include "proxy_rig.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

using testing::loopback_upstream;
using testing::parse_client_bytes;
using testing::plain_response;
using testing::proxy_rig;
using testing::received_request;
using testing::rig_exchange;
using testing::run_until_done;
using testing::scripted_response;

struct forward_fixture : ::testing::Test {
  asio::io_context io;
  loopback_upstream upstream{io};
  proxy_rig rig{io, upstream.port()};

  rig_exchange send(std::string raw_request) {
    return run_until_done(io, rig.exchange(std::move(raw_request)));
  }
};

std::string get(std::string_view path, std::string_view extra_fields = {}) {
  std::string out = "GET ";
  out += path;
  out += " HTTP/1.1\r\nHost: gateway.test\r\n";
  out += extra_fields;
  out += "\r\n";
  return out;
}

TEST_F(forward_fixture, hop_by_hop_fields_are_stripped_both_ways) {
  upstream.respond_with([](const received_request&) {
    return scripted_response{
        {plain_response("ok",
                        "Connection: keep-alive, X-Upstream-Secret\r\nX-Upstream-Secret: 1\r\n"
                        "Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nX-Kept: yes\r\n")}};
  });
  const auto done = send(get("/app/page",
                             "Connection: keep-alive, X-Client-Secret\r\n"
                             "X-Client-Secret: 1\r\nKeep-Alive: 300\r\nTE: trailers\r\n"
                             "Proxy-Authorization: Basic eDp5\r\nUpgrade: h2c\r\n"
                             "X-Kept: yes\r\n"));
  ASSERT_TRUE(done.outcome.failure.empty()) << done.outcome.failure;
  ASSERT_EQ(upstream.requests().size(), 1u);
  const auto& sent = upstream.requests().front();
  for (auto name : {"X-Client-Secret", "Keep-Alive", "TE", "Proxy-Authorization", "Upgrade"})
    EXPECT_EQ(sent.count(name), 0u) << name;
  EXPECT_EQ(sent.value("X-Kept"), "yes");
  EXPECT_EQ(sent.message.target(), "/app/page");

  const auto answer = parse_client_bytes(done.client_received);
  ASSERT_TRUE(answer.complete) << done.client_received;
  EXPECT_EQ(answer.response.result_int(), 200);
  EXPECT_EQ(answer.response.body(), "ok");
  for (auto name : {"X-Upstream-Secret", "Keep-Alive", "Proxy-Authenticate"})
    EXPECT_EQ(answer.response.count(name), 0u) << name;
  EXPECT_EQ(answer.response["X-Kept"], "yes");
  EXPECT_EQ(answer.response["X-Request-Id"], "rig-request-1");
}

TEST_F(forward_fixture, client_sent_identity_fields_are_stripped) {
  const auto done = send(get("/app/",
                             "X-Varco-User-Fiscal-Number: TINIT-FORGED\r\n"
                             "x-varco-identity-token: forged\r\n"
                             "X_Varco_Party_Id: forged\r\n"
                             "X-VARCO-PARTY-ROLE: admin\r\n"
                             "X-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.9\r\n"
                             "X-Real-IP: 203.0.113.9\r\nX-Request-Id: client-chosen\r\n"));
  ASSERT_TRUE(done.outcome.failure.empty()) << done.outcome.failure;
  ASSERT_EQ(upstream.requests().size(), 1u);
  const auto& sent = upstream.requests().front();
  EXPECT_EQ(sent.count("X-Varco-User-Fiscal-Number"), 1u);
  EXPECT_EQ(sent.value("X-Varco-User-Fiscal-Number"), testing::rig_fiscal_number);
  EXPECT_EQ(sent.count("X-Varco-Identity-Token"), 1u);
  EXPECT_EQ(sent.value("X-Varco-Identity-Token"), "signed.by.varco");
  EXPECT_EQ(sent.count("X_Varco_Party_Id"), 0u);
  EXPECT_EQ(sent.count("X-Varco-Party-Role"), 0u);
  EXPECT_EQ(sent.count("Forwarded"), 0u);
  EXPECT_EQ(sent.count("X-Real-IP"), 0u);
  // An untrusted peer's forwarding chain is replaced by the peer itself.
  EXPECT_EQ(sent.value("X-Forwarded-For"), "127.0.0.1");
  EXPECT_EQ(sent.count("X-Request-Id"), 1u);
  EXPECT_EQ(sent.value("X-Request-Id"), "rig-request-1");
}

TEST_F(forward_fixture, a_kept_alive_upstream_connection_carries_the_next_request) {
  ASSERT_TRUE(send(get("/one")).outcome.failure.empty());
  EXPECT_EQ(rig.pool().idle_count(), 1u);
  ASSERT_TRUE(send(get("/two")).outcome.failure.empty());
  ASSERT_EQ(upstream.requests().size(), 2u);
  EXPECT_EQ(upstream.requests()[0].connection, upstream.requests()[1].connection);
  EXPECT_EQ(upstream.connections_accepted(), 1u);
}

TEST_F(forward_fixture, a_connection_the_upstream_closed_is_replaced_by_a_fresh_one) {
  // The first answer looks reusable (no Connection: close) but the upstream closes right after it:
  // the next request finds the pooled connection dead and is sent again on a new one.
  upstream.respond_with([](const received_request& request) {
    return scripted_response{{plain_response("ok")}, request.connection == 1};
  });
  ASSERT_TRUE(send(get("/one")).outcome.failure.empty());
  const auto second = send(get("/two"));
  ASSERT_TRUE(second.outcome.failure.empty()) << second.outcome.failure;
  EXPECT_EQ(parse_client_bytes(second.client_received).response.body(), "ok");
  EXPECT_EQ(upstream.connections_accepted(), 2u);
  EXPECT_EQ(upstream.requests().back().connection, 2u);
  EXPECT_EQ(upstream.requests().back().message.target(), "/two");
}

TEST_F(forward_fixture, a_chunked_response_is_streamed_whole) {
  std::string expected;
  for (int i = 0; expected.size() < 200 * 1024; ++i) expected += "line " + std::to_string(i) + "\n";
  upstream.respond_with([&expected](const received_request&) {
    scripted_response answer;
    answer.pieces.emplace_back("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (std::size_t at = 0; at < expected.size(); at += 10000) {
      const std::string part = expected.substr(at, 10000);
      char size[16];
      std::snprintf(size, sizeof size, "%zx\r\n", part.size());
      answer.pieces.push_back(size + part + "\r\n");
    }
    answer.pieces.emplace_back("0\r\n\r\n");
    return answer;
  });
  const auto done = send(get("/large"));
  ASSERT_TRUE(done.outcome.failure.empty()) << done.outcome.failure;
  EXPECT_EQ(done.outcome.bytes_to_client, expected.size());
  const auto answer = parse_client_bytes(done.client_received);
  ASSERT_TRUE(answer.complete);
  EXPECT_TRUE(answer.response.chunked());
  EXPECT_EQ(answer.response.body(), expected);
}

TEST_F(forward_fixture, a_large_request_body_reaches_the_upstream_whole) {
  const std::string body(300 * 1024, 'b');
  const auto done = send("POST /upload HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(done.outcome.failure.empty()) << done.outcome.failure;
  EXPECT_TRUE(done.outcome.request_body_consumed);
  EXPECT_EQ(done.outcome.bytes_from_client, body.size());
  ASSERT_EQ(upstream.requests().size(), 1u);
  EXPECT_EQ(upstream.requests().front().message.body(), body);
}

TEST_F(forward_fixture, a_chunked_request_body_is_rechunked_whole) {
  const std::string part(40 * 1024, 'c');
  std::string raw =
      "POST /upload HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) raw += "a000\r\n" + part + "\r\n";
  raw += "0\r\n\r\n";
  const auto done = send(raw);
  ASSERT_TRUE(done.outcome.failure.empty()) << done.outcome.failure;
  ASSERT_EQ(upstream.requests().size(), 1u);
  EXPECT_TRUE(upstream.requests().front().message.chunked());
  EXPECT_EQ(upstream.requests().front().message.body(), part + part + part);
}

TEST_F(forward_fixture, an_upstream_that_closes_before_answering_is_a_502) {
  upstream.respond_with([](const received_request&) { return scripted_response{{}, true}; });
  const auto done = send(get("/app/"));
  EXPECT_EQ(done.outcome.failure, proxy_reason::upstream_unavailable);
  EXPECT_FALSE(done.outcome.response_started);
  EXPECT_EQ(done.outcome.status, 0u);
  EXPECT_EQ(failure_status(done.outcome.failure), 502u);
  EXPECT_TRUE(done.client_received.empty());  // the connection answers with the error page
}

TEST_F(forward_fixture, an_upstream_that_closes_mid_body_cuts_the_response) {
  upstream.respond_with([](const received_request&) {
    return scripted_response{
        {"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + std::string(30000, 'x')}, true};
  });
  const auto done = send(get("/app/"));
  EXPECT_EQ(done.outcome.failure, proxy_reason::upstream_aborted);
  EXPECT_TRUE(done.outcome.response_started);
  EXPECT_EQ(done.outcome.status, 200u);
  EXPECT_FALSE(done.outcome.client_keep_alive);
  const auto answer = parse_client_bytes(done.client_received);
  EXPECT_FALSE(answer.complete);
  EXPECT_EQ(answer.response.result_int(), 200);
  // Relayed chunk by chunk until the upstream went away: part of the body, never the announced
  // length, and what the access log counts is what the client got.
  EXPECT_GT(answer.response.body().size(), 0u);
  EXPECT_LT(answer.response.body().size(), 100000u);
  EXPECT_EQ(done.outcome.bytes_to_client, answer.response.body().size());
}

TEST_F(forward_fixture, failure_statuses_follow_the_documented_table) {
  EXPECT_EQ(failure_status(proxy_reason::upstream_unavailable), 502u);
  EXPECT_EQ(failure_status(proxy_reason::upstream_bad_response), 502u);
  EXPECT_EQ(failure_status(proxy_reason::upstream_tls_failed), 502u);
  EXPECT_EQ(failure_status(proxy_reason::upstream_timeout), 504u);
  EXPECT_EQ(failure_status(proxy_reason::upstream_connect_timeout), 504u);
  EXPECT_EQ(failure_status(proxy_reason::client_body_too_large), 413u);
  EXPECT_EQ(failure_status(proxy_reason::client_body_invalid), 400u);
}

}  // namespace
}  // namespace varco::gateway
