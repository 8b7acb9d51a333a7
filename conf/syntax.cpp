#include "conf/syntax.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace varco::conf {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Both forms a client may use for the same field name compare equal after this.
char fold(char c) { return c == '_' ? '-' : lower(c); }

std::optional<cidr> parse_v4(std::string_view text) {
  boost::system::error_code ec;
  auto net = boost::asio::ip::make_network_v4(text, ec);
  if (ec) return std::nullopt;
  if (net.network() != net.address()) return std::nullopt;
  return cidr{net};
}

std::optional<cidr> parse_v6(std::string_view text) {
  boost::system::error_code ec;
  auto net = boost::asio::ip::make_network_v6(text, ec);
  if (ec) return std::nullopt;
  if (net.network() != net.address()) return std::nullopt;
  return cidr{net};
}

}  // namespace

std::optional<cidr> parse_cidr(std::string_view text) {
  if (text.find('/') == std::string_view::npos) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(text, ec);
    if (ec) return std::nullopt;
    if (address.is_v4()) return cidr{boost::asio::ip::network_v4(address.to_v4(), 32)};
    return cidr{boost::asio::ip::network_v6(address.to_v6(), 128)};
  }
  if (text.find(':') != std::string_view::npos) return parse_v6(text);
  return parse_v4(text);
}

std::optional<upstream_url> parse_upstream_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& url = *parsed;
  upstream_url out;
  if (url.scheme_id() == boost::urls::scheme::https) {
    out.https = true;
  } else if (url.scheme_id() != boost::urls::scheme::http) {
    return std::nullopt;
  }
  if (!url.has_authority() || url.has_userinfo() || url.has_query() || url.has_fragment()) {
    return std::nullopt;
  }
  out.host = url.host_address();  // IPv6 without brackets, as resolvers want it
  if (out.host.empty()) return std::nullopt;
  std::transform(out.host.begin(), out.host.end(), out.host.begin(), lower);
  out.port = out.https ? 443 : 80;
  if (url.has_port()) {
    std::string_view port = url.port();
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  std::string path(url.encoded_path());
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.find("//") != std::string::npos) return std::nullopt;
  out.base_path = std::move(path);
  out.text = std::string(text);
  return out;
}

bool is_base_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return false;
  const boost::urls::url_view& url = *parsed;
  if (url.scheme_id() != boost::urls::scheme::http &&
      url.scheme_id() != boost::urls::scheme::https) {
    return false;
  }
  if (!url.has_authority() || url.encoded_host().empty() || url.has_userinfo() || url.has_query() ||
      url.has_fragment()) {
    return false;
  }
  return text.back() != '/';
}

bool is_http_token(std::string_view text) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

bool is_reserved_header(std::string_view name) {
  static constexpr std::array<std::string_view, 13> reserved{"Connection",
                                                             "Keep-Alive",
                                                             "Proxy-Authenticate",
                                                             "Proxy-Authorization",
                                                             "Proxy-Connection",
                                                             "TE",
                                                             "Trailer",
                                                             "Transfer-Encoding",
                                                             "Upgrade",
                                                             "Host",
                                                             "Cookie",
                                                             "Content-Length",
                                                             "Set-Cookie"};
  return std::any_of(reserved.begin(), reserved.end(),
                     [&](std::string_view r) { return iequals(r, name); });
}

bool in_header_namespace(std::string_view header, std::string_view header_namespace) {
  return header.size() >= header_namespace.size() &&
         std::equal(header_namespace.begin(), header_namespace.end(), header.begin(),
                    [](char a, char b) { return fold(a) == fold(b); });
}

std::optional<std::string> path_prefix_problem(std::string_view prefix) {
  if (prefix.empty() || prefix.front() != '/') return "must start with '/'";
  if (prefix == "/") return "must not be \"/\" (leave it out to match every path)";
  if (prefix.back() == '/') return "must not end with '/'";
  if (prefix.find("//") != std::string_view::npos) return "must not contain \"//\"";
  for (char c : prefix) {
    if (c == '?' || c == '#' || c == '%' || c == ' ' || static_cast<unsigned char>(c) < 0x20 ||
        c == 0x7f || c == '\\') {
      return "must not contain '?', '#', '%', '\\', spaces or control characters";
    }
  }
  std::size_t start = 1;
  while (start <= prefix.size()) {
    std::size_t end = prefix.find('/', start);
    if (end == std::string_view::npos) end = prefix.size();
    std::string_view segment = prefix.substr(start, end - start);
    if (segment == "." || segment == "..") return "must not contain \".\" or \"..\" segments";
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> host_problem(std::string_view host) {
  if (host.empty()) return "must not be empty";
  if (host.find(':') != std::string_view::npos) return "must be a host name without a port";
  if (host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos) {
    return "is not a valid host name";
  }
  for (char c : host) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return "is not a valid host name";
    }
  }
  return std::nullopt;
}

}  // namespace varco::conf
