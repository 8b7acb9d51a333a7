#include "gateway/outbound/fetch_url.hpp"

#include "base/percent_decoding.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <charconv>

namespace varco::gateway {
namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::optional<std::uint16_t> port_of(const boost::urls::url_view& url, bool https) {
  const std::uint16_t standard = https ? 443 : 80;
  if (!url.has_port() || url.port().empty()) return standard;  // "http://host:/" is the default
  const std::string_view text = url.port();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string fetch_url::host_field() const {
  std::string out = host.find(':') == std::string::npos ? host : "[" + host + "]";
  if (port != (https ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

std::string fetch_url::for_log() const {
  std::string out = https ? "https://" : "http://";
  out += host_field();
  out += target.substr(0, target.find('?'));
  return out;
}

std::optional<fetch_url> parse_fetch_url(std::string_view text) {
  if (text.size() > max_fetch_url_bytes) return std::nullopt;
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& url = *parsed;
  fetch_url out;
  if (url.scheme_id() == boost::urls::scheme::https) {
    out.https = true;
  } else if (url.scheme_id() != boost::urls::scheme::http) {
    return std::nullopt;
  }
  if (!url.has_authority() || url.has_userinfo() || url.has_fragment()) return std::nullopt;
  switch (url.host_type()) {
    case boost::urls::host_type::name:
      out.host = url.host_name();  // decoded: "%2D" is '-', and anything else is refused below
      std::transform(out.host.begin(), out.host.end(), out.host.begin(), lower);
      if (out.host.empty() || !std::all_of(out.host.begin(), out.host.end(), name_char))
        return std::nullopt;
      break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      out.host = url.host_address();  // IPv6 without brackets, as the resolver wants it
      out.host_is_name = false;
      break;
    default:  // none, or an IPvFuture literal no resolver knows
      return std::nullopt;
  }
  auto port = port_of(url, out.https);
  if (!port) return std::nullopt;
  out.port = *port;
  out.target = url.encoded_path();
  // After an authority a path is empty or starts with '/'. Boost.URL 1.81 ends a port at its
  // first non-digit and starts the path there ("http://h:8o/" is port 8, path "o/"): refused.
  if (!out.target.empty() && out.target.front() != '/') return std::nullopt;
  if (out.target.empty()) out.target = "/";
  if (url.has_query()) {
    out.target += '?';
    out.target += url.encoded_query();
  }
  return out;
}

std::string append_query(std::string_view url, std::string_view name, std::string_view value) {
  const std::size_t hash = std::min(url.find('#'), url.size());
  std::string out(url.substr(0, hash));
  const auto query = out.find('?');
  if (query == std::string::npos) {
    out += '?';
  } else if (out.back() != '?' && out.back() != '&') {
    out += '&';
  }
  out += base::percent_encode(name);
  out += '=';
  out += base::percent_encode(value);
  out += url.substr(hash);
  return out;
}

}  // namespace varco::gateway
