#include "gateway/http/hop_by_hop.hpp"

#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

namespace http = boost::beast::http;

TEST(hop_by_hop, names) {
  for (auto n : {"Connection", "keep-alive", "PROXY-CONNECTION", "te", "Trailer",
                 "transfer-encoding", "Upgrade", "Proxy-Authenticate", "proxy-authorization"}) {
    EXPECT_TRUE(is_hop_by_hop(n)) << n;
  }
  for (auto n : {"Host", "Content-Length", "Cookie", "Authorization", "Connections", "X-TE"}) {
    EXPECT_FALSE(is_hop_by_hop(n)) << n;
  }
}

TEST(hop_by_hop, removes_fixed_and_connection_named_fields) {
  http::fields f;
  f.set(http::field::host, "area.example.it");
  f.insert(http::field::connection, "keep-alive, X-Secret-Hop");
  f.insert(http::field::connection, " Foo ,,bar");
  f.set("Proxy-Connection", "X-Other");
  f.set(http::field::keep_alive, "timeout=5");
  f.set(http::field::te, "trailers");
  f.set(http::field::trailer, "X-T");
  f.set(http::field::transfer_encoding, "chunked");
  f.set(http::field::upgrade, "websocket");
  f.set(http::field::proxy_authenticate, "Basic");
  f.set(http::field::proxy_authorization, "Basic abc");
  f.set("x-secret-hop", "1");
  f.set("Foo", "1");
  f.set("BAR", "1");
  f.set("X-Other", "1");
  f.set("X-End-To-End", "kept");
  f.set(http::field::content_type, "text/plain");
  remove_hop_by_hop(f);

  std::vector<std::string> left;
  for (const auto& field : f) left.emplace_back(field.name_string());
  EXPECT_EQ(left, (std::vector<std::string>{"Host", "X-End-To-End", "Content-Type"}));
}

TEST(hop_by_hop, empty_fields_are_fine) {
  http::fields f;
  remove_hop_by_hop(f);
  EXPECT_EQ(f.begin(), f.end());
}

}  // namespace
}  // namespace varco::gateway
