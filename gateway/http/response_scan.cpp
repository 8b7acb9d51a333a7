#include "gateway/http/response_scan.hpp"

#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <ostream>  // Boost.Core string_view (in status.hpp) streams; it does not include it

namespace varco::gateway {
namespace {

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
constexpr std::array<bool, 256> make_text_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c == '\t' || (c >= 0x20 && c != 0x7f);
  return t;
}
constexpr auto text = make_text_table();

bool all_text(std::string_view s) {
  for (unsigned char c : s)
    if (!text[c]) return false;
  return true;
}

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

// `name` equals `lower` (already lower case, same length checked by the caller) ignoring case.
bool is_named(std::string_view name, std::string_view lower) {
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != static_cast<unsigned char>(lower[i])) return false;
  }
  return true;
}

// The field names the scanner acts on; dispatched on length first (most names match none).
enum class known {
  other,
  content_length,
  connection,
  transfer_encoding,
  proxy_connection,
  hop_by_hop,
  request_id,
  set_cookie
};

known classify(std::string_view name) {
  switch (name.size()) {
    case 2:
      return is_named(name, "te") ? known::hop_by_hop : known::other;
    case 7:
      return is_named(name, "trailer") || is_named(name, "upgrade") ? known::hop_by_hop
                                                                    : known::other;
    case 10:
      if (is_named(name, "connection")) return known::connection;
      if (is_named(name, "set-cookie")) return known::set_cookie;
      return is_named(name, "keep-alive") ? known::hop_by_hop : known::other;
    case 12:
      return is_named(name, "x-request-id") ? known::request_id : known::other;
    case 14:
      return is_named(name, "content-length") ? known::content_length : known::other;
    case 16:
      return is_named(name, "proxy-connection") ? known::proxy_connection : known::other;
    case 17:
      return is_named(name, "transfer-encoding") ? known::transfer_encoding : known::other;
    case 18:
      return is_named(name, "proxy-authenticate") ? known::hop_by_hop : known::other;
    case 19:
      return is_named(name, "proxy-authorization") ? known::hop_by_hop : known::other;
    default:
      return known::other;
  }
}

bool equals_ignoring_case(std::string_view value, std::string_view lower) {
  return value.size() == lower.size() && is_named(value, lower);
}

}  // namespace

scan_status scan_response_head(std::string_view bytes, std::size_t header_limit, bool keep_alive,
                               unsigned client_version, const gateway_cookies& own_cookies,
                               scanned_response& out, std::string& client_head) {
  out = scanned_response{};
  // Lines end in CRLF; a bare LF or CR anywhere leaves the head to the full parser. One memchr
  // per line finds the LF; the text checks below reject any CR inside a line.
  const char* const begin = bytes.data();
  const char* const end = begin + std::min(bytes.size(), header_limit);
  auto next_line = [&](const char*& at, std::string_view& line) -> scan_status {
    const void* lf = std::memchr(at, '\n', static_cast<std::size_t>(end - at));
    if (lf == nullptr)
      return bytes.size() >= header_limit ? scan_status::use_full_parser : scan_status::need_more;
    const char* line_end = static_cast<const char*>(lf);
    if (line_end == at || line_end[-1] != '\r') return scan_status::use_full_parser;
    line = std::string_view(at, static_cast<std::size_t>(line_end - 1 - at));
    at = line_end + 1;
    return scan_status::ready;
  };

  const char* at = begin;
  std::string_view status_line;
  if (auto s = next_line(at, status_line); s != scan_status::ready) return s;

  // Status line: HTTP/1.x SP 3DIGIT SP reason.
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
  if (!all_text(reason)) return scan_status::use_full_parser;
  out.status = status;

  client_head.clear();
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
  // Fields that go to the client as they came ("Name: value", one space, no trailing OWS) are
  // copied in runs of whole lines, one append per run rather than four per field.
  const char* run = nullptr;
  auto end_run = [&](const char* line_start) {
    if (run == nullptr) return;
    client_head.append(run, static_cast<std::size_t>(line_start - run));
    run = nullptr;
  };
  for (;;) {
    const char* const line_start = at;
    std::string_view line;
    if (auto s = next_line(at, line); s != scan_status::ready) return s;
    if (line.empty()) {  // the blank line: end of the head
      end_run(line_start);
      break;
    }
    // Name: one or more tchar, then the colon (no whitespace before it; obs-fold lines start
    // with whitespace and are refused here too).
    std::size_t colon = 0;
    while (colon < line.size() && tchar[static_cast<unsigned char>(line[colon])]) ++colon;
    if (colon == 0 || colon == line.size() || line[colon] != ':')
      return scan_status::use_full_parser;
    const std::string_view name = line.substr(0, colon);
    const std::string_view raw_value = line.substr(colon + 1);
    if (!all_text(raw_value)) return scan_status::use_full_parser;
    const std::string_view value = trim_ows(raw_value);

    bool forward = true;
    switch (classify(name)) {
      case known::content_length:
        if (have_length || !parse_length(value, out.content_length))
          return scan_status::use_full_parser;
        have_length = true;
        break;
      case known::connection:
        if (have_connection) return scan_status::use_full_parser;
        have_connection = true;
        if (equals_ignoring_case(value, "close"))
          close = true;
        else if (equals_ignoring_case(value, "keep-alive"))
          keep_alive_token = true;
        else
          return scan_status::use_full_parser;  // options naming other fields to drop
        forward = false;
        break;
      case known::transfer_encoding:
      case known::proxy_connection:
        return scan_status::use_full_parser;
      case known::hop_by_hop:
        forward = false;
        break;
      case known::request_id:
        out.has_request_id = true;
        break;
      case known::set_cookie:
        if (own_cookies.set_by(value)) return scan_status::use_full_parser;
        break;
      case known::other:
        break;
    }
    const bool as_it_came = raw_value.size() == value.size() + 1 && raw_value.front() == ' ';
    if (forward && as_it_came) {
      if (run == nullptr) run = line_start;
      continue;
    }
    end_run(line_start);
    if (!forward) continue;
    client_head.append(name);
    client_head.append(": ");
    client_head.append(value);
    client_head.append("\r\n");
  }
  out.head_bytes = static_cast<std::size_t>(at - begin);
  if (!have_length) return scan_status::use_full_parser;  // close-delimited: the parser's case

  out.upstream_keep_alive = version == 11 ? !close : (keep_alive_token && !close);
  if (!keep_alive)
    client_head.append("Connection: close\r\n");
  else if (client_version < 11)
    client_head.append("Connection: keep-alive\r\n");
  return scan_status::ready;
}

}  // namespace varco::gateway
