#include "gateway/http/request_fields.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

namespace http = boost::beast::http;

TEST(request_fields, finds_each_field_the_gateway_reads_in_any_case) {
  http::request_header<> request;
  request.insert(http::field::host, "portal.example");
  request.insert("accept", "application/json");
  request.insert("CONNECTION", "keep-alive, Upgrade");
  request.insert(http::field::upgrade, "websocket");
  request.insert(http::field::expect, "100-continue");
  request.insert(http::field::transfer_encoding, "chunked");
  request.insert("Proxy-Connection", "close");
  request.insert("x-request-id", "abc");
  request.insert("X-FORWARDED-FOR", "10.0.0.1");
  request.insert("X-Forwarded-Proto", "https");
  request.insert("x-forwarded-host", "front.example");
  const auto fields = gather_request_fields(request);
  EXPECT_EQ(fields.host, "portal.example");
  EXPECT_EQ(fields.accept, "application/json");
  EXPECT_EQ(fields.connection, "keep-alive, Upgrade");
  EXPECT_EQ(fields.upgrade, "websocket");
  EXPECT_EQ(fields.expect, "100-continue");
  EXPECT_EQ(fields.transfer_encoding, "chunked");
  EXPECT_EQ(fields.proxy_connection, "close");
  EXPECT_EQ(fields.x_request_id, "abc");
  EXPECT_EQ(fields.x_forwarded_for, "10.0.0.1");
  EXPECT_EQ(fields.x_forwarded_proto, "https");
  EXPECT_EQ(fields.x_forwarded_host, "front.example");
}

// As Beast's operator[]: the first occurrence, even an empty one (a second Host must not
// stand in for an empty first one).
TEST(request_fields, the_first_occurrence_wins_even_when_empty) {
  http::request_header<> request;
  request.insert(http::field::host, "");
  request.insert(http::field::host, "evil.example");
  request.insert("X-Request-Id", "first");
  request.insert("X-Request-Id", "second");
  const auto fields = gather_request_fields(request);
  EXPECT_EQ(fields.host, "");
  EXPECT_EQ(fields.host, request[http::field::host]);
  EXPECT_EQ(fields.x_request_id, "first");
}

TEST(request_fields, keeps_every_cookie_field_in_order_up_to_its_capacity) {
  http::request_header<> request;
  for (int i = 0; i < 6; ++i) request.insert(http::field::cookie, "c" + std::to_string(i) + "=1");
  const auto fields = gather_request_fields(request);
  ASSERT_EQ(fields.cookie_count, fields.cookies.size());
  for (std::size_t i = 0; i < fields.cookie_count; ++i)
    EXPECT_EQ(fields.cookies[i], "c" + std::to_string(i) + "=1");
}

}  // namespace
}  // namespace varco::gateway

namespace varco::gateway {
namespace {

TEST(request_fields, counts_the_fields_that_make_framing_ambiguous) {
  http::request_header<> request;
  request.insert(http::field::host, "a");
  request.insert("HOST", "b");
  request.insert(http::field::content_length, "4");
  request.insert("content-length", "4");
  request.insert(http::field::transfer_encoding, "gzip");
  const auto fields = gather_request_fields(request);
  EXPECT_EQ(fields.host_count, 2u);
  EXPECT_EQ(fields.content_length_count, 2u);
  EXPECT_EQ(fields.transfer_encoding_count, 1u);
}

TEST(request_fields, the_final_coding_must_be_chunked) {
  EXPECT_TRUE(final_coding_is_chunked("chunked"));
  EXPECT_TRUE(final_coding_is_chunked("gzip, chunked"));
  EXPECT_TRUE(final_coding_is_chunked("gzip ,\tCHUNKED "));
  EXPECT_FALSE(final_coding_is_chunked("chunked, identity"));
  EXPECT_FALSE(final_coding_is_chunked("xchunked"));
  EXPECT_FALSE(final_coding_is_chunked("chunked;q=1"));
  EXPECT_FALSE(final_coding_is_chunked(""));
}

}  // namespace
}  // namespace varco::gateway
