#include "gateway/http/wire_format.hpp"

#include "gateway/http/hop_by_hop.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace varco::gateway {

namespace http = boost::beast::http;

connection_scope::connection_scope(const http::fields& fields)
    : connection_(fields[http::field::connection]),
      proxy_connection_(fields[http::field::proxy_connection]) {}

bool connection_scope::excludes(std::string_view name) const {
  if (is_hop_by_hop(name)) return true;
  if (!connection_.empty() && http::token_list{connection_}.exists(name)) return true;
  return !proxy_connection_.empty() && http::token_list{proxy_connection_}.exists(name);
}

std::string response_head(const http::response_header<>& upstream, bool keep_alive,
                          unsigned client_version) {
  std::string head;
  head.reserve(512);
  head.append("HTTP/1.1 ");
  head.append(std::to_string(upstream.result_int()));
  head.push_back(' ');
  head.append(upstream.reason());
  head.append("\r\n");
  const connection_scope scope(upstream);
  for (const auto& field : upstream) {
    const auto name = field.name_string();
    if (scope.excludes(name)) continue;
    append_field(head, name, field.value());
  }
  if (!keep_alive)
    head.append("Connection: close\r\n");
  else if (client_version < 11)
    head.append("Connection: keep-alive\r\n");
  return head;
}

}  // namespace varco::gateway
