// Removal of hop-by-hop header fields (RFC 9110 7.6.1) before a message crosses the proxy.
//
// Call it on the client request before adding the gateway's own fields (a client can name any
// field in Connection), and on the upstream response before relaying it. A WebSocket upgrade is
// re-established by the proxy itself after this, from its own decision, not from these fields.
#pragma once

#include <boost/beast/http/fields.hpp>

#include <string_view>

namespace varco::gateway {

// Connection, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade,
// Proxy-Authenticate, Proxy-Authorization (case-insensitive).
bool is_hop_by_hop(std::string_view name) noexcept;

// Removes the fields above and every field named by a token of any Connection (or
// Proxy-Connection) header. Beast recomputes framing (Content-Length / chunked) when the message
// is prepared, so dropping Transfer-Encoding here is safe.
void remove_hop_by_hop(boost::beast::http::fields& fields);

}  // namespace varco::gateway
