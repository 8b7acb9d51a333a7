// Serialises HTTP/1.1 heads into one flat string. The proxy's hot path writes a request or a
// response with a single gather write of (head, body) instead of Beast's per-field buffer
// sequences, which profiled as the largest user-space cost of a proxied request.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include <string>
#include <string_view>

namespace varco::gateway {

// True when a field must not cross the proxy: hop-by-hop by definition, or named in the message's
// own Connection / Proxy-Connection header.
class connection_scope {
 public:
  explicit connection_scope(const boost::beast::http::fields& fields);
  connection_scope(std::string_view connection, std::string_view proxy_connection)
      : connection_(connection), proxy_connection_(proxy_connection) {}
  bool excludes(std::string_view name) const;

 private:
  std::string_view connection_;
  std::string_view proxy_connection_;
};

inline void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// "HTTP/1.1 200 OK\r\n" + the upstream's end-to-end fields + the connection decision for the
// client; no blank line (the caller appends framing fields, then "\r\n").
std::string response_head(const boost::beast::http::response_header<>& upstream, bool keep_alive,
                          unsigned client_version);

}  // namespace varco::gateway
