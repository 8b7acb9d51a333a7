#include "gateway/http/request_fields.hpp"

#include <boost/beast/core/string.hpp>

namespace varco::gateway {

namespace http = boost::beast::http;

request_fields gather_request_fields(const http::request_header<>& request) {
  request_fields out;
  // The first occurrence wins even when it is empty: a later one must not stand in for it.
  unsigned seen = 0;
  auto keep_first = [&seen](std::string_view& slot, unsigned bit, std::string_view value) {
    if ((seen & bit) != 0) return;
    seen |= bit;
    slot = value;
  };
  for (const auto& field : request) {
    const std::string_view value = field.value();
    switch (field.name()) {
      case http::field::host:
        ++out.host_count;
        keep_first(out.host, 1u << 0, value);
        break;
      case http::field::accept:
        keep_first(out.accept, 1u << 1, value);
        break;
      case http::field::connection:
        keep_first(out.connection, 1u << 2, value);
        break;
      case http::field::proxy_connection:
        keep_first(out.proxy_connection, 1u << 3, value);
        break;
      case http::field::transfer_encoding:
        ++out.transfer_encoding_count;
        keep_first(out.transfer_encoding, 1u << 4, value);
        break;
      case http::field::upgrade:
        keep_first(out.upgrade, 1u << 5, value);
        break;
      case http::field::expect:
        keep_first(out.expect, 1u << 6, value);
        break;
      case http::field::content_length:
        ++out.content_length_count;
        keep_first(out.content_length, 1u << 11, value);
        break;
      case http::field::cookie:
        if (out.cookie_count < out.cookies.size()) out.cookies[out.cookie_count++] = value;
        break;
      case http::field::unknown: {
        const std::string_view name = field.name_string();
        if (name.size() == 12 && boost::beast::iequals(name, "X-Request-Id"))
          keep_first(out.x_request_id, 1u << 7, value);
        else if (name.size() == 15 && boost::beast::iequals(name, "X-Forwarded-For"))
          keep_first(out.x_forwarded_for, 1u << 8, value);
        else if (name.size() == 17 && boost::beast::iequals(name, "X-Forwarded-Proto"))
          keep_first(out.x_forwarded_proto, 1u << 9, value);
        else if (name.size() == 16 && boost::beast::iequals(name, "X-Forwarded-Host"))
          keep_first(out.x_forwarded_host, 1u << 10, value);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

bool final_coding_is_chunked(std::string_view transfer_encoding) {
  // The last comma-separated element, without whitespace or parameters.
  std::string_view last = transfer_encoding;
  if (const auto comma = last.rfind(','); comma != std::string_view::npos)
    last = last.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  return boost::beast::iequals(last, "chunked");
}

bool only_chunked(std::string_view transfer_encoding) {
  return transfer_encoding.find(',') == std::string_view::npos &&
         final_coding_is_chunked(transfer_encoding);
}

bool is_plain_length(std::string_view content_length) {
  if (content_length.empty()) return false;
  for (const char c : content_length)
    if (c < '0' || c > '9') return false;
  return true;
}

bool length_exceeds(std::string_view content_length, std::uint64_t limit) {
  while (content_length.size() > 1 && content_length.front() == '0')
    content_length.remove_prefix(1);
  std::uint64_t value = 0;
  for (const char c : content_length) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (digit > limit || value > (limit - digit) / 10) return true;  // value * 10 + digit > limit
    value = value * 10 + digit;
  }
  return value > limit;
}

}  // namespace varco::gateway
