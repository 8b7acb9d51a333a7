#include "gateway/http/wire_format.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

namespace http = boost::beast::http;

TEST(wire_format, response_head_keeps_end_to_end_fields_and_drops_connection_scoped_ones) {
  http::response_header<> upstream;
  upstream.result(http::status::created);
  upstream.set(http::field::content_type, "application/json");
  upstream.set(http::field::content_length, "42");
  upstream.set(http::field::connection, "keep-alive, X-Internal");
  upstream.set("X-Internal", "secret");
  upstream.set(http::field::keep_alive, "timeout=5");
  upstream.set(http::field::transfer_encoding, "chunked");
  upstream.insert(http::field::set_cookie, "a=1");
  upstream.insert(http::field::set_cookie, "b=2");

  const std::string head = response_head(upstream, true, 11);
  EXPECT_EQ(head,
            "HTTP/1.1 201 Created\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 42\r\n"
            "Set-Cookie: a=1\r\n"
            "Set-Cookie: b=2\r\n");
}

TEST(wire_format, response_head_states_the_connection_decision_for_the_client) {
  http::response_header<> upstream;
  upstream.result(http::status::ok);
  EXPECT_EQ(response_head(upstream, false, 11), "HTTP/1.1 200 OK\r\nConnection: close\r\n");
  EXPECT_EQ(response_head(upstream, true, 10), "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n");
  EXPECT_EQ(response_head(upstream, true, 11), "HTTP/1.1 200 OK\r\n");
}

TEST(wire_format, connection_scope_matches_names_listed_in_connection_in_any_case) {
  http::fields fields;
  fields.set(http::field::connection, "close, X-Hop");
  fields.set(http::field::proxy_connection, "X-Other");
  const connection_scope scope(fields);
  EXPECT_TRUE(scope.excludes("x-hop"));
  EXPECT_TRUE(scope.excludes("X-OTHER"));
  EXPECT_TRUE(scope.excludes("Upgrade"));
  EXPECT_TRUE(scope.excludes("te"));
  EXPECT_FALSE(scope.excludes("X-Kept"));
  EXPECT_FALSE(scope.excludes("Content-Length"));
}

TEST(wire_format, append_field_writes_one_crlf_terminated_line) {
  std::string out;
  append_field(out, "X-A", "1");
  append_field(out, "X-B", "");
  EXPECT_EQ(out, "X-A: 1\r\nX-B: \r\n");
}

}  // namespace
}  // namespace varco::gateway
