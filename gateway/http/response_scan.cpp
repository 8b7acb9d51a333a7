#include "gateway/http/response_scan.hpp"

#include "gateway/http/hop_by_hop.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>

#include <array>

namespace varco::gateway {
namespace {

using boost::beast::iequals;

// RFC 9110 5.6.2 token characters.
constexpr std::array<bool, 256> make_tchar_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto tchar = make_tchar_table();

// Field values and reason phrases: HTAB, SP, VCHAR, obs-text. No CR, LF or other controls.
constexpr bool is_text(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool parse_length(std::string_view digits, std::uint64_t& out) {
  if (digits.empty() || digits.size() > 18) return false;  // 18 digits cannot overflow
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  out = value;
  return true;
}

// Fields that never cross the proxy and need no decision here (Connection, Transfer-Encoding and
// Proxy-Connection are handled by name before this).
bool dropped_hop_by_hop(std::string_view name) {
  return iequals(name, "Keep-Alive") || iequals(name, "TE") || iequals(name, "Trailer") ||
         iequals(name, "Upgrade") || iequals(name, "Proxy-Authenticate") ||
         iequals(name, "Proxy-Authorization");
}

}  // namespace

scan_status scan_response_head(std::string_view bytes, std::size_t header_limit, bool keep_alive,
                               unsigned client_version, scanned_response& out,
                               std::string& client_head) {
  const std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos)
    return bytes.size() >= header_limit ? scan_status::use_full_parser : scan_status::need_more;
  out = scanned_response{};
  out.head_bytes = end + 4;
  if (out.head_bytes > header_limit) return scan_status::use_full_parser;
  const std::string_view head = bytes.substr(0, end + 2);  // every line with its CRLF

  // Status line: HTTP/1.x SP 3DIGIT SP reason CRLF.
  const std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 13 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ' ||
      status_line[12] != ' ')
    return scan_status::use_full_parser;
  unsigned version = 0;
  if (status_line[7] == '1')
    version = 11;
  else if (status_line[7] == '0')
    version = 10;
  else
    return scan_status::use_full_parser;
  unsigned status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    const char c = status_line[i];
    if (c < '0' || c > '9') return scan_status::use_full_parser;
    status = status * 10 + static_cast<unsigned>(c - '0');
  }
  // 1xx, 204 and 304 have no body whatever their fields say: the full parser knows those rules.
  if (status < 200 || status > 599 || status == 204 || status == 304)
    return scan_status::use_full_parser;
  const std::string_view reason = status_line.substr(13);
  for (unsigned char c : reason)
    if (!is_text(c)) return scan_status::use_full_parser;
  out.status = status;

  client_head.clear();
  client_head.reserve(head.size() + 64);
  client_head.append("HTTP/1.1 ");
  client_head.append(status_line.substr(9, 3));
  client_head.push_back(' ');
  // An empty reason is sent as the standard one, as the general path does (Beast's reason()).
  client_head.append(reason.empty() ? std::string_view(boost::beast::http::obsolete_reason(
                                          static_cast<boost::beast::http::status>(status)))
                                    : reason);
  client_head.append("\r\n");

  bool have_length = false;
  bool have_connection = false;
  bool close = false;
  bool keep_alive_token = false;
  std::size_t pos = line_end + 2;
  while (pos < head.size()) {
    const std::size_t eol = head.find("\r\n", pos);  // always found: head ends in CRLF
    const std::string_view line = head.substr(pos, eol - pos);
    pos = eol + 2;
    // Name: one or more tchar, then the colon (no whitespace before it; obs-fold lines start
    // with whitespace and are refused here too).
    std::size_t colon = 0;
    while (colon < line.size() && tchar[static_cast<unsigned char>(line[colon])]) ++colon;
    if (colon == 0 || colon == line.size() || line[colon] != ':')
      return scan_status::use_full_parser;
    const std::string_view name = line.substr(0, colon);
    const std::string_view raw_value = line.substr(colon + 1);
    for (unsigned char c : raw_value)
      if (!is_text(c)) return scan_status::use_full_parser;
    const std::string_view value = trim_ows(raw_value);

    if (iequals(name, "Content-Length")) {
      if (have_length || !parse_length(value, out.content_length))
        return scan_status::use_full_parser;
      have_length = true;
    } else if (iequals(name, "Connection")) {
      if (have_connection) return scan_status::use_full_parser;
      have_connection = true;
      if (iequals(value, "close"))
        close = true;
      else if (iequals(value, "keep-alive"))
        keep_alive_token = true;
      else
        return scan_status::use_full_parser;  // options naming other fields to drop
      continue;
    } else if (iequals(name, "Transfer-Encoding") || iequals(name, "Proxy-Connection")) {
      return scan_status::use_full_parser;
    } else if (dropped_hop_by_hop(name)) {
      continue;
    } else if (iequals(name, "X-Request-Id")) {
      out.has_request_id = true;
    }
    client_head.append(name);
    client_head.append(": ");
    client_head.append(value);
    client_head.append("\r\n");
  }
  if (!have_length) return scan_status::use_full_parser;  // close-delimited: the parser's case

  out.upstream_keep_alive = version == 11 ? !close : (keep_alive_token && !close);
  if (!keep_alive)
    client_head.append("Connection: close\r\n");
  else if (client_version < 11)
    client_head.append("Connection: keep-alive\r\n");
  return scan_status::ready;
}

}  // namespace varco::gateway
