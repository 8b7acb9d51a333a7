// A product request as the request handler hands it to the proxy (gateway/proxy.hpp).
#pragma once

#include "conf/config.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/http/gateway_cookies.hpp"

#include <string>
#include <string_view>

namespace varco::gateway {

// What the gateway decided to send upstream: the request head already rewritten (target, claims;
// hop-by-hop and client identity headers removed), serialised once.
struct proxy_target {
  const conf::product* product = nullptr;
  const conf::environment* environment = nullptr;
  const conf::upstream_url* upstream = nullptr;
  http::verb method = http::verb::get;
  std::string head;             // request line and fields, each ending in CRLF; no blank line yet
  std::string_view request_id;  // echoed to the client on the response
  bool websocket = false;       // Upgrade: websocket asked; tunnelled if the upstream answers 101
  // varco's cookies, which the product's response may not set (the request's runtime owns them).
  const gateway_cookies* own_cookies = nullptr;
};

}  // namespace varco::gateway
