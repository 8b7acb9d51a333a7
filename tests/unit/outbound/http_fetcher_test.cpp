// http_fetcher over plain HTTP against a real server on loopback: what goes out, what comes back,
// and every bound (body size, time) enforced before the work it limits.
#include "fetch_rig.hpp"

#include <gtest/gtest.h>

namespace varco::gateway::testing {
namespace {

std::string field(const http::request<http::string_body>& request, std::string_view name) {
  auto found = request.find(name);
  return found == request.end() ? std::string() : std::string(found->value());
}

class http_fetch : public fetch_rig {
 protected:
  loopback_server server_{io_};
};

TEST_F(http_fetch, get_returns_the_body_and_the_caching_fields) {
  server_.respond_with([](const auto&) {
    return scripted_answer{{response_text("200 OK", R"({"issuer":"https://op.example"})",
                                          "Content-Type: Application/JSON; charset=utf-8\r\n"
                                          "ETag: \"v1\"\r\n"
                                          "Last-Modified: Tue, 01 Apr 2025 10:00:00 GMT\r\n"
                                          "Cache-Control: public\r\n"
                                          "Cache-Control: max-age=3600\r\n")}};
  });
  fetch_request request;
  request.url = server_.url("/.well-known/openid-configuration?x=1");
  request.headers = {{"Accept", "application/json"}};
  auto result = fetch(std::move(request));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(result->content_type, "application/json");
  EXPECT_EQ(result->etag, "\"v1\"");
  EXPECT_EQ(result->last_modified, "Tue, 01 Apr 2025 10:00:00 GMT");
  EXPECT_EQ(result->cache_control, "public, max-age=3600");
  EXPECT_EQ(result->body, R"({"issuer":"https://op.example"})");

  ASSERT_EQ(server_.requests().size(), 1u);
  const auto& sent = server_.requests()[0];
  EXPECT_EQ(sent.method(), http::verb::get);
  EXPECT_EQ(sent.target(), "/.well-known/openid-configuration?x=1");
  EXPECT_EQ(field(sent, "Host"), "127.0.0.1:" + std::to_string(server_.port()));
  EXPECT_EQ(field(sent, "User-Agent"), "varco");
  EXPECT_EQ(field(sent, "Connection"), "close");
  EXPECT_EQ(field(sent, "Accept"), "application/json");
  EXPECT_EQ(sent.find(http::field::content_length), sent.end());
}

TEST_F(http_fetch, conditional_get_gets_304_without_a_body) {
  server_.respond_with([](const http::request<http::string_body>& request) {
    if (field(request, "If-None-Match") == "\"v1\"")
      return scripted_answer{
          {"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n"
           "Cache-Control: max-age=60\r\n\r\n"}};
    return scripted_answer{{response_text("200 OK", "{}", "ETag: \"v1\"\r\n")}};
  });
  fetch_request request;
  request.url = server_.url("/jwks");
  request.headers = {{"If-None-Match", "\"v1\""},
                     {"If-Modified-Since", "Tue, 01 Apr 2025 10:00:00 GMT"}};
  auto result = fetch(std::move(request));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->status, 304u);
  EXPECT_EQ(result->etag, "\"v1\"");
  EXPECT_EQ(result->cache_control, "max-age=60");
  EXPECT_TRUE(result->body.empty());
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(field(server_.requests()[0], "If-Modified-Since"), "Tue, 01 Apr 2025 10:00:00 GMT");
}

TEST_F(http_fetch, post_sends_the_form_body_its_type_and_authorization) {
  server_.respond_with([](const auto&) {
    return scripted_answer{
        {response_text("200 OK", R"({"access_token":"a"})", "Content-Type: application/json\r\n")}};
  });
  fetch_request request;
  request.method = http::verb::post;
  request.url = server_.url("/token");
  request.body = "grant_type=authorization_code&code=c%2B1";
  request.content_type = "application/x-www-form-urlencoded";
  request.headers = {{"Authorization", "Basic Y2xpZW50OnNlY3JldA=="}};
  auto result = fetch(std::move(request));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->status, 200u);

  ASSERT_EQ(server_.requests().size(), 1u);
  const auto& sent = server_.requests()[0];
  EXPECT_EQ(sent.method(), http::verb::post);
  EXPECT_EQ(sent.target(), "/token");
  EXPECT_EQ(sent.body(), "grant_type=authorization_code&code=c%2B1");
  EXPECT_EQ(field(sent, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(field(sent, "Content-Length"), "40");
  EXPECT_EQ(field(sent, "Authorization"), "Basic Y2xpZW50OnNlY3JldA==");
}

TEST_F(http_fetch, chunked_response_is_read_whole) {
  server_.respond_with([](const auto&) {
    return scripted_answer{
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
         "Content-Type: application/jwk-set+json\r\n\r\n",
         "5\r\nhello\r\n", "6\r\n world\r\n", "0\r\n\r\n"}};
  });
  auto result = get(server_.url("/jwks"));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->content_type, "application/jwk-set+json");
  EXPECT_EQ(result->body, "hello world");
}

TEST_F(http_fetch, body_ending_at_the_close_is_read_whole) {
  server_.respond_with([](const auto&) {
    return scripted_answer{{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", "entity ", "body"}};
  });
  auto result = get(server_.url("/"));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->body, "entity body");
}

TEST_F(http_fetch, redirect_is_returned_not_followed) {
  server_.respond_with([this](const auto&) {
    return scripted_answer{
        {response_text("302 Found", "", "Location: " + server_.url("/elsewhere") + "\r\n")}};
  });
  auto result = get(server_.url("/moved"));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->status, 302u);
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(http_fetch, interim_responses_are_skipped) {
  server_.respond_with([](const auto&) {
    return scripted_answer{{"HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n",
                            response_text("200 OK", "final")}};
  });
  auto result = get(server_.url("/"));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(result->body, "final");
}

TEST_F(http_fetch, body_at_the_bound_is_read) {
  server_.respond_with(
      [](const auto&) { return scripted_answer{{response_text("200 OK", std::string(64, 'x'))}}; });
  fetch_request request;
  request.url = server_.url("/");
  request.max_body_bytes = 64;
  auto result = fetch(std::move(request));
  ASSERT_EQ(outcome(result), "ok");
  EXPECT_EQ(result->body.size(), 64u);
}

// The Content-Length over the bound is refused from the header: the 100 MB never sent would
// otherwise keep the fetch waiting until its timeout.
TEST_F(http_fetch, content_length_over_the_bound_is_too_large_before_the_body) {
  server_.respond_with([](const auto&) {
    return scripted_answer{
        {"HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n", std::string(1000, 'x')}, true};
  });
  fetch_request request;
  request.url = server_.url("/metadata");
  request.max_body_bytes = 64 * 1024;
  request.timeout = std::chrono::seconds(30);
  EXPECT_EQ(outcome(fetch(std::move(request))), "fetch_too_large");
  // The fetcher hung up on the server, which was still in the middle of its body.
  EXPECT_TRUE(run_until(io_, [&] { return server_.closed_by_client() == 1; }));
}

TEST_F(http_fetch, chunked_body_over_the_bound_is_too_large_before_it_ends) {
  server_.respond_with([](const auto&) {
    return scripted_answer{
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
         "40\r\n" + std::string(64, 'a') + "\r\n", "40\r\n" + std::string(64, 'b') + "\r\n"},
        true};  // no last chunk: the body never ends
  });
  fetch_request request;
  request.url = server_.url("/");
  request.max_body_bytes = 100;
  request.timeout = std::chrono::seconds(30);
  EXPECT_EQ(outcome(fetch(std::move(request))), "fetch_too_large");
  EXPECT_TRUE(run_until(io_, [&] { return server_.closed_by_client() == 1; }));
}

TEST_F(http_fetch, server_that_never_answers_times_out) {
  server_.respond_with([](const auto&) { return scripted_answer{{}, true}; });
  fetch_request request;
  request.url = server_.url("/slow");
  request.timeout = std::chrono::milliseconds(200);
  EXPECT_EQ(outcome(fetch(std::move(request))), "fetch_timeout");
  EXPECT_TRUE(run_until(io_, [&] { return server_.closed_by_client() == 1; }));
}

TEST_F(http_fetch, body_that_stops_midway_times_out) {
  server_.respond_with([](const auto&) {
    return scripted_answer{{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "12345"}, true};
  });
  fetch_request request;
  request.url = server_.url("/");
  request.timeout = std::chrono::milliseconds(200);
  EXPECT_EQ(outcome(fetch(std::move(request))), "fetch_timeout");
}

TEST_F(http_fetch, close_before_the_body_ends_is_io_failed) {
  server_.respond_with([](const auto&) {
    return scripted_answer{{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "12345"}};
  });
  EXPECT_EQ(outcome(get(server_.url("/"))), "fetch_io_failed");
}

TEST_F(http_fetch, close_without_a_response_is_io_failed) {
  server_.respond_with([](const auto&) { return scripted_answer{}; });
  EXPECT_EQ(outcome(get(server_.url("/"))), "fetch_io_failed");
}

TEST_F(http_fetch, what_is_not_http_is_a_bad_response) {
  for (const std::string& answer : std::vector<std::string>{
           "SSH-2.0-OpenSSH_9.2\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
           "HTTP/1.1 200 OK\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"}) {
    server_.respond_with([answer](const auto&) { return scripted_answer{{answer}}; });
    EXPECT_EQ(outcome(get(server_.url("/"))), "fetch_bad_response") << answer.substr(0, 40);
  }
}

TEST_F(http_fetch, refused_connection_is_connect_failed) {
  std::uint16_t port = 0;
  {
    tcp::acceptor closed(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = closed.local_endpoint().port();
  }
  EXPECT_EQ(outcome(get("http://127.0.0.1:" + std::to_string(port) + "/")), "fetch_connect_failed");
}

// Refusals that need no network: nothing is connected. The listener accepts nothing itself, so
// a connection attempt would wait in its backlog.
class refused_fetch : public fetch_rig {
 protected:
  bool connection_attempted() {
    acceptor_.non_blocking(true);
    boost::system::error_code ec;
    acceptor_.accept(ec);
    return ec != asio::error::would_block;
  }
  std::string base() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

  tcp::acceptor acceptor_{io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
};

TEST_F(refused_fetch, bad_urls_are_refused_before_any_connection) {
  for (const std::string& url : std::vector<std::string>{
           "ftp://" + base() + "/", "file:///etc/passwd", "http:///path", "http://",
           "http:" + base(), "//" + base() + "/", "/relative", "",
           "http://user:secret@" + base() + "/", "http://user@" + base() + "/",
           "http://" + base() + "/doc#fragment", "http://" + base() + "/#", "http://127.0.0.1:0/",
           "http://127.0.0.1:65536/", "http://127.0.0.1:8o/", "http://exa mple/", "http://a%00b/",
           "http://[v1.x]/", "http://" + base() + "/" + std::string(9000, 'a')}) {
    EXPECT_EQ(outcome(get(url)), "fetch_bad_url") << url.substr(0, 60);
  }
  EXPECT_FALSE(connection_attempted());
}

TEST_F(refused_fetch, malformed_requests_are_refused_before_any_connection) {
  const std::string url = "http://" + base() + "/";
  auto with = [&](auto change) {
    fetch_request request;
    request.url = url;
    change(request);
    return outcome(fetch(std::move(request)));
  };
  EXPECT_EQ(with([](auto& r) { r.method = http::verb::put; }), "fetch_bad_request");
  EXPECT_EQ(with([](auto& r) { r.body = "x"; }), "fetch_bad_request");
  EXPECT_EQ(with([](auto& r) { r.content_type = "text/plain"; }), "fetch_bad_request");
  for (const char* name : {"Host", "content-length", "Transfer-Encoding", "Connection",
                           "Content-Type", "User-Agent", "Bad Name", ""}) {
    EXPECT_EQ(with([&](auto& r) { r.headers = {{name, "x"}}; }), "fetch_bad_request") << name;
  }
  EXPECT_EQ(with([](auto& r) {
              r.headers = {{"Accept", "a\r\nX-Injected: 1"}};
            }),
            "fetch_bad_request");
  EXPECT_EQ(with([](auto& r) {
              r.method = http::verb::post;
              r.content_type = "text/plain\r\nX: 1";
            }),
            "fetch_bad_request");
  EXPECT_FALSE(connection_attempted());
}

TEST(fetch_error_codes, each_error_has_its_reason_code) {
  EXPECT_EQ(reason_code(fetch_error::bad_url), "fetch_bad_url");
  EXPECT_EQ(reason_code(fetch_error::bad_request), "fetch_bad_request");
  EXPECT_EQ(reason_code(fetch_error::resolve_failed), "fetch_resolve_failed");
  EXPECT_EQ(reason_code(fetch_error::connect_failed), "fetch_connect_failed");
  EXPECT_EQ(reason_code(fetch_error::tls_failed), "fetch_tls_failed");
  EXPECT_EQ(reason_code(fetch_error::timeout), "fetch_timeout");
  EXPECT_EQ(reason_code(fetch_error::io_failed), "fetch_io_failed");
  EXPECT_EQ(reason_code(fetch_error::too_large), "fetch_too_large");
  EXPECT_EQ(reason_code(fetch_error::bad_response), "fetch_bad_response");
  EXPECT_EQ(reason_code(static_cast<fetch_error>(99)), "unknown");
  EXPECT_THROW(fetch_result(fetch_error::timeout).value(), std::runtime_error);
}

}  // namespace
}  // namespace varco::gateway::testing
