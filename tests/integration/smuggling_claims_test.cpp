// More request smuggling, and client-sent identity claims in every spelling a parser between the
// client and the product might confuse, sent as raw bytes to a real varco in front of a real echo
// upstream. Two outcomes only, asserted per case: refused with 400 before anything reaches the
// upstream, or forwarded with one unambiguous framing and exactly the session's claims (never a
// client's copy, whatever its spelling). RFC 9112 2.2, 5.1, 5.2, 6.1, 6.3, 7.1; RFC 9110 5.5.
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/beast/core/string.hpp>
#include <gtest/gtest.h>

namespace varco::integration {

using namespace varco::test;
using namespace varco::test::gateway_directory;

namespace {

using namespace std::string_literals;  // "\0" inside a literal

// What a client sends that no product may ever see as a header of its own.
constexpr const char* forged = "EVIL";

struct raw_case {
  const char* name;
  std::string fields;  // right after the request line, before Host (so a case can start a line
                       // with whitespace, or fold onto the request line's first field)
  std::string body;
};

std::string raw_request(std::string_view method, std::string_view host, const std::string& cookie,
                        const raw_case& c) {
  return std::string(method) + " /pagopa/x HTTP/1.1\r\n" + c.fields + "Host: " + std::string(host) +
         "\r\nCookie: varco_session=" + cookie + "\r\nConnection: close\r\n\r\n" + c.body;
}

unsigned status_of(const std::string& raw) {
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || raw.size() < 12) return 0;
  return static_cast<unsigned>(std::stoul(raw.substr(9, 3)));
}

echoed echo_of(const std::string& raw) {
  http_response answer;
  answer.body = raw.substr(raw.find("\r\n\r\n") + 4);
  return echoed(answer);
}

// The upstream saw the session's identity and nothing the client forged.
void expect_only_the_sessions_claims(const echoed& seen, const std::string& name) {
  EXPECT_EQ(seen.values("X-Varco-User-Fiscal-Number"), std::vector<std::string>{manager_cf})
      << name;
  EXPECT_EQ(seen.values("X-Varco-Party-Id"), std::vector<std::string>{institution}) << name;
  EXPECT_EQ(seen.values("X-Varco-Party-Role"), std::vector<std::string>{"MANAGER"}) << name;
  const auto token = seen.values("X-Varco-Identity-Token");
  ASSERT_EQ(token.size(), 1u) << name;
  EXPECT_EQ(token[0].rfind("ey", 0), 0u) << name << ": " << token[0];
  for (const auto& [field, value] : seen.headers) {
    EXPECT_EQ(field.find('_'), std::string::npos) << name << ": " << field;
    EXPECT_EQ(value.find(forged), std::string::npos) << name << ": " << field << ": " << value;
    EXPECT_EQ(value.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << name;
  }
}

class smuggling_claims : public ::testing::Test {
 protected:
  std::uint16_t port() const { return stack.gateway->port(); }

  // `c` gets a 400 with a readable body, and the upstream gets nothing at all.
  void expect_refused(std::string_view method, const raw_case& c, unsigned status = 400) {
    const auto before = stack.pagopa_collaudo.requests();
    const auto raw = send_raw(port(), raw_request(method, "a", cookie, c));
    EXPECT_EQ(status_of(raw), status) << c.name << ":\n" << raw;
    EXPECT_NE(raw.find("\r\n\r\n"), std::string::npos) << c.name;
    EXPECT_GT(raw.size(), raw.find("\r\n\r\n") + 4) << c.name << ": no body";
    EXPECT_EQ(stack.pagopa_collaudo.requests(), before) << c.name << " reached the upstream";
  }

  gateway_stack stack;
  std::string cookie = stack.cookie_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
};

// --- framing --------------------------------------------------------------------------------

TEST_F(smuggling_claims, every_ambiguous_framing_is_refused_before_the_upstream) {
  const std::vector<raw_case> refused = {
      // RFC 9112 6.3: Transfer-Encoding with Content-Length, in either order, is refused outright
      // (not forwarded with the length removed): the sender is either broken or an attacker.
      {"a length, then chunked", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
       "4\r\nabcd\r\n0\r\n\r\n"},
      {"chunked, then a zero length", "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
       "4\r\nabcd\r\n0\r\n\r\n"},
      {"CHUNKED in capitals and a length", "Transfer-Encoding: CHUNKED\r\nContent-Length: 4\r\n",
       "4\r\nabcd\r\n0\r\n\r\n"},
      {"identity coding", "Transfer-Encoding: identity\r\nContent-Length: 4\r\n", "abcd"},
      {"an empty Transfer-Encoding", "Transfer-Encoding: \r\nContent-Length: 4\r\n", "abcd"},
      // RFC 9112 5.2: obs-fold is refused, never unfolded (a space or tab starting a line).
      {"obs-fold with a space", "X-A: one\r\n two\r\nContent-Length: 0\r\n", ""},
      {"obs-fold with a tab", "X-A: one\r\n\ttwo\r\nContent-Length: 0\r\n", ""},
      {"a folded length", "Content-Length: 0\r\n 4\r\n", "abcd"},
      {"a folded Transfer-Encoding", "Transfer-Encoding: gzip,\r\n chunked\r\n",
       "4\r\nabcd\r\n0\r\n\r\n"},
      // RFC 9112 2.2: whitespace between the request line and the first field.
      {"a first field line starting with a space", " X-A: 1\r\nContent-Length: 0\r\n", ""},
      // RFC 9112 5.1: no whitespace between a field name and the colon.
      {"a space before the colon of Transfer-Encoding",
       "Transfer-Encoding : chunked\r\nContent-Length: 4\r\n", "abcd"},
      {"a tab before the colon", "Content-Length\t: 4\r\n", "abcd"},
      {"a space before an ordinary colon", "X-A : 1\r\nContent-Length: 0\r\n", ""},
      // RFC 9112 6.2: Content-Length is 1*DIGIT, one value.
      {"a signed length", "Content-Length: +4\r\n", "abcd"},
      {"a negative length", "Content-Length: -4\r\n", "abcd"},
      {"a hexadecimal length", "Content-Length: 0x4\r\n", "abcd"},
      {"a list of equal lengths", "Content-Length: 4, 4\r\n", "abcd"},
      {"two numbers in one length", "Content-Length: 4 4\r\n", "abcd"},
      {"a decimal point", "Content-Length: 4.0\r\n", "abcd"},
      {"an empty length", "Content-Length: \r\n", "abcd"},
      {"a length past 64 bits", "Content-Length: 18446744073709551620\r\n", "abcd"},
      // RFC 9112 2.2: CRLF only, and no bare CR or NUL anywhere in the head.
      {"a bare LF between fields", "X-A: 1\nContent-Length: 0\r\n", ""},
      {"a bare CR inside a value", "X-A: 1\rX-B: 2\r\nContent-Length: 0\r\n", ""},
      {"a NUL inside a value", "X-A: a\0b\r\nContent-Length: 0\r\n"s, ""},
      {"a NUL inside a name", "X-\0A: 1\r\nContent-Length: 0\r\n"s, ""},
      {"a non-token name", "X-A@: 1\r\nContent-Length: 0\r\n", ""},
      {"a UTF-8 name", "X-\xc3\x84: 1\r\nContent-Length: 0\r\n", ""},
  };
  for (const auto& c : refused) expect_refused("POST", c);
  // A coding before chunked: the proxy would undo chunked only and forward a gzip body unlabelled
  // (RFC 9112 6.1: 501 for a transfer coding the server does not implement).
  expect_refused(
      "POST",
      {"gzip, then chunked", "Transfer-Encoding: gzip, chunked\r\n", "4\r\nabcd\r\n0\r\n\r\n"},
      501);
  // The request line ending in a bare LF, and a head ending in LF LF, are refused the same way.
  const auto before = stack.pagopa_collaudo.requests();
  for (const std::string& raw :
       {"GET /pagopa/x HTTP/1.1\nHost: a\r\nCookie: varco_session=" + cookie +
            "\r\nConnection: close\r\n\r\n",
        "GET /pagopa/x HTTP/1.1\r\nHost: a\r\nCookie: varco_session=" + cookie +
            "\r\nConnection: close\n\n"}) {
    const auto answer = send_raw(port(), raw, std::chrono::milliseconds(1500));
    // Beast waits for a CRLF that never comes on the LF-LF head: refused or never answered, the
    // upstream must not see it either way.
    EXPECT_TRUE(answer.empty() || status_of(answer) == 400u) << answer;
  }
  EXPECT_EQ(stack.pagopa_collaudo.requests(), before);
  EXPECT_EQ(http_get(port(), "/pagopa/x", with_cookie(cookie)).status, 200u);
}

TEST_F(smuggling_claims, chunk_sizes_that_are_not_plain_hex_never_make_a_complete_request) {
  // The head is forwarded before the body streams, so the upstream may see the head; what it must
  // not see is a complete request, and the client must not get the upstream's 200.
  const std::vector<raw_case> broken = {
      {"a chunk size with a non-hex digit", "Transfer-Encoding: chunked\r\n",
       "4g\r\nabcd\r\n0\r\n\r\n"},
      {"a chunk size with 0x", "Transfer-Encoding: chunked\r\n", "0x4\r\nabcd\r\n0\r\n\r\n"},
      {"a negative chunk size", "Transfer-Encoding: chunked\r\n", "-4\r\nabcd\r\n0\r\n\r\n"},
      {"a chunk size past 64 bits", "Transfer-Encoding: chunked\r\n",
       "10000000000000004\r\nabcd\r\n0\r\n\r\n"},
      {"an empty chunk size", "Transfer-Encoding: chunked\r\n", "\r\nabcd\r\n0\r\n\r\n"},
      {"a chunk longer than its size", "Transfer-Encoding: chunked\r\n", "2\r\nabcd\r\n0\r\n\r\n"},
      {"a bare LF after the chunk size", "Transfer-Encoding: chunked\r\n", "4\nabcd\r\n0\r\n\r\n"},
  };
  for (const auto& c : broken) {
    const auto raw = send_raw(port(), raw_request("POST", "a", cookie, c));
    EXPECT_NE(status_of(raw), 200u) << c.name << ":\n" << raw;
    EXPECT_EQ(raw.find("\"body_sha256\""), std::string::npos) << c.name << ":\n" << raw;
  }
  // Chunk extensions are legal (RFC 9112 7.1.1): the body arrives re-framed, the four bytes only.
  const raw_case extended{"chunk extensions", "Transfer-Encoding: chunked\r\n",
                          "4;name=value;q=\"x\"\r\nabcd\r\n0;last\r\n\r\n"};
  const auto raw = send_raw(port(), raw_request("POST", "a", cookie, extended));
  ASSERT_EQ(status_of(raw), 200u) << raw;
  const echoed seen = echo_of(raw);
  EXPECT_EQ(seen.body_bytes, 4u);
  EXPECT_TRUE(seen.values("Content-Length").empty());
  EXPECT_EQ(http_get(port(), "/pagopa/x", with_cookie(cookie)).status, 200u);
}

// --- claims ---------------------------------------------------------------------------------

TEST_F(smuggling_claims, client_claims_in_any_spelling_are_stripped_and_the_sessions_injected) {
  const std::vector<raw_case> stripped = {
      {"the exact name", "X-Varco-User-Fiscal-Number: EVIL\r\n"},
      {"lower case", "x-varco-user-fiscal-number: EVIL\r\n"},
      {"upper case", "X-VARCO-USER-FISCAL-NUMBER: EVIL\r\n"},
      {"no space after the colon", "X-Varco-Party-Id:EVIL\r\n"},
      {"underscores for dashes", "X_Varco_User_Fiscal_Number: EVIL\r\n"},
      {"one underscore", "X-Varco_User-Fiscal-Number: EVIL\r\n"},
      {"lower-case underscores", "x_varco_party_role: EVIL\r\n"},
      {"twice", "X-Varco-Party-Id: EVIL\r\nX-Varco-Party-Id: EVIL\r\n"},
      {"twice, differently spelt",
       "X-Varco-Party-Role: EVIL\r\nx-varco-party-role: EVIL\r\nX_VARCO_PARTY_ROLE: EVIL\r\n"},
      {"a claim varco does not send", "X-Varco-Admin: EVIL\r\n"},
      {"the token header", "X-Varco-Identity-Token: EVIL\r\n"},
      {"the token header, underscored", "x_varco_identity_token: EVIL\r\n"},
      {"trailing whitespace in the value", "X-Varco-Party-Role: EVIL \t\r\n"},
      // Naming the gateway's own fields in Connection must not make varco drop its own copies.
      {"claims named as hop-by-hop",
       "Connection: X-Varco-User-Fiscal-Number, X-Varco-Identity-Token, X-Varco-Party-Id\r\n"},
  };
  for (const auto& c : stripped) {
    const auto raw = send_raw(port(), raw_request("GET", "a", cookie, c));
    ASSERT_EQ(status_of(raw), 200u) << c.name << ":\n" << raw;
    expect_only_the_sessions_claims(echo_of(raw), c.name);
  }

  // Spellings that only a lax parser reads as a claim: refused before the upstream.
  const std::vector<raw_case> refused = {
      {"a space after the name", "X-Varco-User-Fiscal-Number : EVIL\r\n"},
      {"a tab after the name", "X-Varco-User-Fiscal-Number\t: EVIL\r\n"},
      {"a space before the name", "X-A: 1\r\n X-Varco-User-Fiscal-Number: EVIL\r\n"},
      {"folded under another field", "X-A: one\r\n\tX-Varco-Party-Id: EVIL\r\n"},
      {"folded as the first field", " X-Varco-Party-Id: EVIL\r\n"},
      {"a folded claim value", "X-Varco-Party-Role: MANAGER\r\n EVIL\r\n"},
      {"after a bare LF", "X-A: 1\nX-Varco-User-Fiscal-Number: EVIL\r\n"},
      {"after a bare CR", "X-A: 1\rX-Varco-User-Fiscal-Number: EVIL\r\n"},
      {"after a NUL", "X-A: 1\0X-Varco-Party-Id: EVIL\r\n"s},
      {"a lookalike letter in the name",
       "X-Varco-Party-\xd0\x86"
       "d: EVIL\r\n"},  // Cyrillic І
  };
  for (const auto& c : refused) expect_refused("GET", c);
  EXPECT_EQ(http_get(port(), "/pagopa/x", with_cookie(cookie)).status, 200u);
}

TEST_F(smuggling_claims, a_client_authorization_never_reaches_a_product_that_takes_the_bearer) {
  // prod-io takes the identity token as "Authorization: Bearer …" (replace_authorization).
  const auto io_cookie = stack.cookie_for(manager_cf, institution, {{"prod-io", "collaudo"}});
  const std::vector<raw_case> stripped = {
      {"Authorization", "Authorization: Bearer EVIL\r\n"},
      {"lower case", "authorization: Basic EVIL\r\n"},
      {"upper case", "AUTHORIZATION: Bearer EVIL\r\n"},
      {"underscored", "AUTHORIZATION_: EVIL\r\nX_Authorization: EVIL\r\n"},
      {"twice", "Authorization: Bearer EVIL\r\nauthorization: Bearer EVIL\r\n"},
      {"named as hop-by-hop", "Connection: Authorization\r\nAuthorization: Bearer EVIL\r\n"},
      {"Proxy-Authorization", "Proxy-Authorization: Basic EVIL\r\n"},
  };
  const auto io_request = [&](const raw_case& c) {
    return "GET /x HTTP/1.1\r\n" + c.fields +
           "Host: io.example.test\r\nCookie: varco_session=" + io_cookie +
           "\r\nConnection: close\r\n\r\n";
  };
  for (const auto& c : stripped) {
    const auto raw = send_raw(port(), io_request(c));
    ASSERT_EQ(status_of(raw), 200u) << c.name << ":\n" << raw;
    const echoed seen = echo_of(raw);
    const auto authorization = seen.values("Authorization");
    ASSERT_EQ(authorization.size(), 1u) << c.name;
    EXPECT_EQ(authorization[0].rfind("Bearer ey", 0), 0u) << c.name << ": " << authorization[0];
    EXPECT_TRUE(seen.values("Proxy-Authorization").empty()) << c.name;
    for (const auto& [field, value] : seen.headers)
      EXPECT_EQ(value.find(forged), std::string::npos) << c.name << ": " << field;
  }
  const auto before = stack.io_collaudo.requests();
  for (const raw_case& c : {raw_case{"a space after the name", "Authorization : Bearer EVIL\r\n"},
                            raw_case{"folded", "X-A: 1\r\n Authorization: Bearer EVIL\r\n"}}) {
    const auto raw = send_raw(port(), io_request(c));
    EXPECT_EQ(status_of(raw), 400u) << c.name << ":\n" << raw;
  }
  EXPECT_EQ(stack.io_collaudo.requests(), before);
}

}  // namespace
}  // namespace varco::integration
