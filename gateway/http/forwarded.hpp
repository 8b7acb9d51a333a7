// X-Forwarded-For/-Proto/-Host for the upstream request.
//
// Client-sent values are kept only when the peer is a configured trusted proxy; from anyone else
// they are replaced, so an upstream can rely on them. Pure functions, thread-safe.
#pragma once

#include "conf/config.hpp"

#include <boost/asio/ip/address.hpp>

#include <span>
#include <string>
#include <string_view>

namespace varco::gateway {

// True when `peer` lies in one of `trusted`. An IPv4-mapped IPv6 peer (::ffff:a.b.c.d, as seen on
// a dual-stack socket) is compared as the IPv4 address.
bool is_trusted(const boost::asio::ip::address& peer, std::span<const conf::cidr> trusted) noexcept;

// The client's address as varco reports it (access log, audit records, rate limits): the TCP
// peer, unless the peer is a trusted proxy; then X-Forwarded-For is walked from the right, each
// trusted hop vouching for the address before it, and the first address that is not a trusted
// proxy is the client. Addresses further left were written by the client and are ignored. An
// item that is not a bare IP address (garbage, "unknown", a port) ends the walk: the answer is
// then the last trusted hop reached, the furthest address some trusted proxy vouched for.
// IPv4-mapped IPv6 addresses are answered as IPv4. `peer_text` is the peer already formatted.
std::string client_address(std::string_view x_forwarded_for, const boost::asio::ip::address& peer,
                           std::string_view peer_text, std::span<const conf::cidr> trusted);

// The client's values, as received (empty when absent). Several X-Forwarded-For headers should be
// joined with ", " by the caller, in order.
struct forwarded_in {
  std::string_view x_forwarded_for;
  std::string_view x_forwarded_proto;
  std::string_view x_forwarded_host;
  std::string_view
      peer_text;  // the peer already formatted (once per connection); else formatted here
};

struct forwarded_out {
  std::string x_forwarded_for;
  std::string x_forwarded_proto;
  std::string x_forwarded_host;
};

// From a trusted peer: the peer is appended to the existing chain, and the client's proto and
// host are kept when present (proto only if "http" or "https"). From an untrusted peer: the chain
// is the peer alone, proto is `scheme` ("http"/"https" of this connection) and host is `host`
// (this request's Host header).
forwarded_out compute_forwarded(const boost::asio::ip::address& peer,
                                std::span<const conf::cidr> trusted, const forwarded_in& client,
                                std::string_view scheme, std::string_view host);

}  // namespace varco::gateway
