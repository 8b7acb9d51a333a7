// libFuzzer target, differential: arbitrary bytes as an upstream response, through the proxy's
// fast head scanner and through Beast's strict parser. Whenever the scanner takes a response
// (scan_status::ready), Beast must accept the same head, agree on status, Content-Length and
// head size, and the head the client gets must carry what the general path would send: the same
// status line and, name by name, the same values in the same order. (Only the interleaving of
// different names may differ: Beast groups a repeated name at its first occurrence, the scanner
// keeps the wire order; RFC 9110 5.3 makes the two equivalent. Found by this target.)
// The scanner may decline anything; it may never accept what the parser refuses.
#include "gateway/http/response_scan.hpp"
#include "gateway/http/wire_format.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace http = boost::beast::http;

namespace {

// Status line, then each field name (lower case) with its values in order.
std::pair<std::string, std::map<std::string, std::vector<std::string>>> by_name(
    std::string_view head) {
  std::pair<std::string, std::map<std::string, std::vector<std::string>>> out;
  std::size_t pos = head.find("\r\n");
  out.first = std::string(head.substr(0, pos));
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    const std::size_t start = pos + 2;
    pos = head.find("\r\n", start);
    const std::string_view line = head.substr(start, pos - start);
    const std::size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.second[name].emplace_back(colon == std::string_view::npos ? "" : line.substr(colon + 1));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first byte picks the client side: keep-alive and HTTP version.
  const bool keep_alive = (data[0] & 1) != 0;
  const unsigned client_version = (data[0] & 2) != 0 ? 11 : 10;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  constexpr std::size_t header_limit = 8 * 1024;

  varco::gateway::scanned_response scanned;
  std::string client_head;
  const varco::gateway::gateway_cookies own_cookies{};
  const auto status = varco::gateway::scan_response_head(
      bytes, header_limit, keep_alive, client_version, own_cookies, scanned, client_head);
  if (status != varco::gateway::scan_status::ready) return 0;

  http::response_parser<http::empty_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(boost::none);  // as the proxy configures it (the default 8 MB is a request cap)
  parser.eager(false);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), scanned.head_bytes), ec);
  VARCO_FUZZ_CHECK(!ec);
  VARCO_FUZZ_CHECK(parser.is_header_done());
  VARCO_FUZZ_CHECK(used == scanned.head_bytes);
  VARCO_FUZZ_CHECK(parser.get().result_int() == scanned.status);
  VARCO_FUZZ_CHECK(parser.content_length() && *parser.content_length() == scanned.content_length);
  VARCO_FUZZ_CHECK(!parser.chunked());
  VARCO_FUZZ_CHECK(parser.keep_alive() == scanned.upstream_keep_alive);
  VARCO_FUZZ_CHECK(by_name(client_head) == by_name(varco::gateway::response_head(
                                               parser.get().base(), keep_alive, client_version)));
  return 0;
}
