// varco's own cookies at the boundary with the products, sent as raw bytes to a real varco in front
// of a real echo upstream: no cookie varco sets (session, pre-login, language, form draft; bare,
// __Host- and __Secure- forms, any case) ever reaches a product, on plain requests and WebSocket
// upgrades, while the product's own cookies arrive in the client's order; and no product answer can
// set one of varco's cookies in the user's browser, whichever path the answer takes through the
// proxy.
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;
using namespace std::chrono_literals;

namespace {

// Every form a browser (or an attacker) may send varco's cookies under; none is for a product.
const std::vector<std::string> own_cookie_forms = {
    "__Host-varco_session=host-session",
    "__Secure-varco_session=secure-session",
    "varco_login=pre-login",
    "__Host-varco_login=host-pre-login",
    "varco_lang=en",
    "__Host-varco_lang=it",
    "__Host-varco_draft=host-draft",
    "VARCO_LOGIN=folded-case",
    "__HOST-varco_session=upper-prefix",
};

// The values above: the upstream must see none of them anywhere.
const std::vector<std::string> own_cookie_values = {
    "host-session", "secure-session", "pre-login",   "host-pre-login",
    "host-draft",   "folded-case",    "upper-prefix"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
  return out;
}

echoed echo_of(const std::string& raw) {
  http_response answer;
  answer.body = raw.substr(raw.find("\r\n\r\n") + 4);
  return echoed(answer);
}

// The Set-Cookie values of a raw answer's head.
std::vector<std::string> set_cookies_of(const std::string& raw) {
  std::vector<std::string> out;
  const std::string head = raw.substr(0, raw.find("\r\n\r\n"));
  std::size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string::npos) {
    at += 2;
    const auto end = head.find("\r\n", at);
    const std::string line = head.substr(at, end == std::string::npos ? end : end - at);
    if (boost::beast::iequals(line.substr(0, 11), "set-cookie:")) {
      auto value = line.substr(11);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      out.push_back(value);
    }
  }
  return out;
}

class smuggling_cookies : public ::testing::Test {
 protected:
  gateway_stack stack;
  std::string cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
};

TEST_F(smuggling_cookies, a_product_sees_none_of_varcos_cookies_and_all_of_its_own_in_order) {
  // Two Cookie fields (as HTTP/2 front ends split them), varco's cookies between the product's.
  const std::string first = "a=1; " + own_cookie_forms[0] + "; varco_session=" + cookie +
                            "; b=2; " + own_cookie_forms[2] + "; " + own_cookie_forms[4];
  std::vector<std::string> rest(own_cookie_forms.begin() + 1, own_cookie_forms.end());
  const std::string second = "c=3; " + join(rest) + "; d=4";
  const auto raw = send_raw(stack.gateway->port(),
                            "GET /pagopa/x HTTP/1.1\r\nHost: a\r\nCookie: " + first +
                                "\r\nCookie: " + second + "\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
  const echoed seen = echo_of(raw);
  // The session cookie still identified the user (varco read it), and then stayed behind.
  EXPECT_EQ(seen.values("X-Varco-User-Fiscal-Number"), std::vector<std::string>{manager_cf});
  EXPECT_EQ(seen.values("Cookie"), std::vector<std::string>{"a=1; b=2; c=3; d=4"});
  for (const auto& [name, value] : seen.headers) {
    EXPECT_EQ(value.find(cookie), std::string::npos) << name;
    for (const auto& own : own_cookie_values) EXPECT_EQ(value.find(own), std::string::npos) << name;
  }
}

TEST_F(smuggling_cookies, a_request_with_only_varcos_cookies_reaches_the_product_without_cookie) {
  const auto raw = send_raw(stack.gateway->port(),
                            "GET /pagopa/x HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + cookie +
                                "; " + join(own_cookie_forms) + "\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
  EXPECT_TRUE(echo_of(raw).values("Cookie").empty());
}

TEST_F(smuggling_cookies, a_websocket_upgrade_carries_only_the_products_cookies) {
  namespace websocket = boost::beast::websocket;
  boost::asio::io_context io;
  websocket::stream<boost::beast::tcp_stream> ws(io);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), stack.gateway->port()});
  ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
    request.set(boost::beast::http::field::cookie,
                "a=1; varco_session=" + cookie + "; " + join(own_cookie_forms) + "; b=2");
    request.set("X-Set-Cookie", "varco_session=fixed-by-product; Path=/");
  }));
  websocket::response_type upgraded;
  ws.handshake(upgraded, "127.0.0.1", "/pagopa/ws");
  std::vector<std::string> seen;
  for (const auto& field : upgraded)
    if (boost::beast::iequals(field.name_string(), "X-Echo-Cookie"))
      seen.emplace_back(field.value());
  EXPECT_EQ(seen, std::vector<std::string>{"a=1; b=2"});
  EXPECT_EQ(upgraded.count(boost::beast::http::field::set_cookie), 0u)
      << "the product's 101 set varco's session cookie";
  ws.write(boost::asio::buffer(std::string("ciao")));
  boost::beast::flat_buffer echo;
  ws.read(echo);
  EXPECT_EQ(boost::beast::buffers_to_string(echo.data()), "ciao");
  ws.close(websocket::close_code::normal);
}

TEST_F(smuggling_cookies, a_product_cannot_set_varcos_cookies_in_the_browser) {
  const std::vector<std::string> product_sets = {
      "__Host-varco_session=fixed-by-product; Path=/; Secure; HttpOnly",
      "varco_session=fixed-by-product; Path=/",
      "=varco_session=fixed-by-product; Path=/",  // nameless: the browser sends it back bare
      "varco_login=chosen-by-product; Path=/",
      "__Host-varco_draft=planted-by-product; Path=/; Secure",
      "Varco_Lang=en",
      "product_session=kept; Path=/pagopa; HttpOnly",
      "theme=dark",
  };
  std::string set_fields;
  for (const auto& value : product_sets) set_fields += "X-Set-Cookie: " + value + "\r\n";
  const std::string request =
      "GET /pagopa/x HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + cookie + "\r\n" + set_fields +
      "Connection: close\r\n\r\n";
  const std::vector<std::string> kept = {"product_session=kept; Path=/pagopa; HttpOnly",
                                         "theme=dark"};
  // A small answer (read whole, head re-serialised) ...
  const auto small = send_raw(stack.gateway->port(), request);
  ASSERT_EQ(small.rfind("HTTP/1.1 200", 0), 0u) << small;
  EXPECT_EQ(set_cookies_of(small), kept);
  // ... and a large one (streamed through Beast's serializer).
  stack.pagopa_collaudo.body_bytes = 1u << 20;
  stack.pagopa_collaudo.mode = test_upstream::behaviour::big_body;
  const auto large = send_raw(stack.gateway->port(), request, 10s);
  ASSERT_EQ(large.rfind("HTTP/1.1 200", 0), 0u) << large.substr(0, 400);
  EXPECT_EQ(set_cookies_of(large), kept);
  EXPECT_GE(large.size(), 1u << 20);
  // A product setting only its own cookies keeps the fast path and every one of them.
  stack.pagopa_collaudo.mode = test_upstream::behaviour::echo;
  const auto own_only =
      send_raw(stack.gateway->port(),
               "GET /pagopa/x HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + cookie +
                   "\r\nX-Set-Cookie: " + kept[0] + "\r\nX-Set-Cookie: " + kept[1] +
                   "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(set_cookies_of(own_only), kept);
}

}  // namespace
}  // namespace varco::integration
