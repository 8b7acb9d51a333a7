// The URL of an outbound fetch, taken apart for the connection and the request line, and the
// query parameter the federation fetch endpoint needs (`?sub=<entity id>`). Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

// Longer URLs are refused before they are parsed.
inline constexpr std::size_t max_fetch_url_bytes = 8 * 1024;

struct fetch_url {
  bool https = false;
  std::string host;          // a lower-case DNS name or an IP address (IPv6 without brackets)
  bool host_is_name = true;  // false for an IP address: no SNI, the certificate names the address
  std::uint16_t port = 0;    // 80 or 443 when the URL names none
  std::string target;        // the request target: the path ("/" at least) and the query

  // The Host field: the host (IPv6 in brackets) and the port when it is not the scheme's.
  std::string host_field() const;
  // scheme://host[:port]/path without the query, which may carry what logs must not show.
  std::string for_log() const;
};

// nullopt unless `text` is an absolute http:// or https:// URL of at most max_fetch_url_bytes,
// with a host (a name of letters, digits, '-', '.', '_', or an IP address) and a port in
// 1..65535 when given, without user info and without a fragment.
std::optional<fetch_url> parse_fetch_url(std::string_view text);

// `url` with name=value added to its query ('?' or '&' as needed, before any fragment), both
// percent-encoded (base::percent_encode).
std::string append_query(std::string_view url, std::string_view name, std::string_view value);

}  // namespace varco::gateway
