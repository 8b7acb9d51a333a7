// Request smuggling and header tricks, sent as raw bytes to a real varco in front of a real echo
// upstream: every ambiguous framing is refused with 400 before anything reaches the upstream, and
// what is accepted reaches it with one unambiguous framing. (RFC 9112 6.3 and 5.2, RFC 9110 7.2.)
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

struct smuggling_case {
  const char* name;
  std::string head_fields;  // between the request line + Host/Cookie and the blank line
  std::string body;
};

std::string request(const std::string& cookie, const smuggling_case& c) {
  return "POST /pagopa/upload HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + cookie +
         "\r\nConnection: close\r\n" + c.head_fields + "\r\n" + c.body;
}

TEST(smuggling, ambiguous_framing_is_refused_before_the_upstream) {
  gateway_stack stack;
  const auto port = stack.gateway->port();
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const std::vector<smuggling_case> refused = {
      {"two different lengths", "Content-Length: 4\r\nContent-Length: 5\r\n", "abcd"},
      {"two equal lengths", "Content-Length: 4\r\nContent-Length: 4\r\n", "abcd"},
      {"a length list", "Content-Length: 4, 5\r\n", "abcd"},
      {"a signed length", "Content-Length: +4\r\n", "abcd"},
      {"a hexadecimal length", "Content-Length: 0x4\r\n", "abcd"},
      {"space before the colon", "Content-Length : 4\r\n", "abcd"},
      {"chunked not last", "Transfer-Encoding: chunked, identity\r\n", "4\r\nabcd\r\n0\r\n\r\n"},
      {"an unknown coding", "Transfer-Encoding: xchunked\r\n", "4\r\nabcd\r\n0\r\n\r\n"},
      {"a bare LF line ending", "X-A: 1\nContent-Length: 4\r\n", "abcd"},
      {"a control character in a value", std::string("X-A: a\x01z\r\nContent-Length: 4\r\n"),
       "abcd"},
      {"a second Host", "Host: evil.example\r\nContent-Length: 4\r\n", "abcd"},
      {"two Transfer-Encoding fields", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
       "4\r\nabcd\r\n0\r\n\r\n"},
      {"chunked and a length", "Transfer-Encoding: chunked\r\nContent-Length: 100\r\n",
       "4\r\nabcd\r\n0\r\n\r\n"},
  };
  const auto before = stack.pagopa_collaudo.requests();
  for (const auto& c : refused) {
    const auto answer = send_raw(port, request(cookie, c));
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << c.name << ":\n" << answer;
  }
  EXPECT_EQ(stack.pagopa_collaudo.requests(), before)
      << "an ambiguous request reached the upstream";
  // And the gateway goes on serving.
  EXPECT_EQ(http_get(port, "/pagopa/x", with_cookie(cookie)).status, 200u);
}

TEST(smuggling, accepted_framing_reaches_the_upstream_unambiguous) {
  gateway_stack stack;
  const auto port = stack.gateway->port();
  const auto cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});

  // A chunked body is re-framed by the proxy: the upstream sees chunked and no length.
  {
    const smuggling_case c{"chunked", "Transfer-Encoding: chunked\r\n", "4\r\nabcd\r\n0\r\n\r\n"};
    const auto raw = send_raw(port, request(cookie, c));
    ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
    http_response answer;
    answer.body = raw.substr(raw.find("\r\n\r\n") + 4);
    const echoed seen(answer);
    EXPECT_TRUE(seen.values("Content-Length").empty());
    EXPECT_EQ(seen.value("Transfer-Encoding"), "chunked");
    EXPECT_EQ(seen.body_bytes, 4u);
  }
  // A malformed chunk is found while the body streams: the client gets no 200 and the upstream
  // never a complete request (the proxy re-frames, so nothing can be smuggled through).
  {
    const smuggling_case c{"a bad chunk size", "Transfer-Encoding: chunked\r\n",
                           "4x\r\nabcd\r\n0\r\n\r\n"};
    const auto raw = send_raw(port, request(cookie, c));
    EXPECT_NE(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
  }
  // obs-fold: refused, or unfolded — a folded line never reaches the upstream as such.
  {
    const smuggling_case c{"obs-fold", "X-Folded: one\r\n  two\r\nContent-Length: 0\r\n", ""};
    const auto raw = send_raw(port, request(cookie, c));
    if (raw.rfind("HTTP/1.1 200", 0) == 0) {
      http_response answer;
      answer.body = raw.substr(raw.find("\r\n\r\n") + 4);
      const echoed seen(answer);
      for (const auto& [name, value] : seen.headers) {
        EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos) << name;
        EXPECT_FALSE(name.empty() || name.front() == ' ' || name.front() == '\t');
      }
    } else {
      EXPECT_EQ(raw.rfind("HTTP/1.1 400", 0), 0u) << raw;
    }
  }
}

}  // namespace
}  // namespace varco::integration
