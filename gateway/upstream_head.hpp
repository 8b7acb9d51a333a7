// The request head a product receives: the client's request line and fields rewritten for the
// upstream, without a single client-sent identity header (docs/gateway.md, step 4).
#pragma once

#include "conf/config.hpp"
#include "gateway/endpoint/exchange.hpp"
#include "gateway/http/gateway_cookies.hpp"
#include "gateway/http/path_normalizer.hpp"
#include "gateway/http/request_fields.hpp"
#include "gateway/routing/route_table.hpp"

#include <span>
#include <string>
#include <string_view>

namespace varco::gateway {

// What the head is built from besides the client's request.
struct upstream_head_inputs {
  const conf::product& product;
  const conf::upstream_url& upstream;
  const route_match& route;
  std::string_view normalized_path;  // the request's path after normalisation, without the query
  target_parts parts;                // the query as the client sent it
  const gateway_cookies& own_cookies;
  std::span<const conf::cidr> trusted_proxies;  // server.trusted_proxies, for X-Forwarded-*
  std::string_view request_id;
  std::string_view claims_block;  // the claim header lines and the token line, each with CRLF
  bool websocket = false;         // the request asks for a WebSocket upgrade
};

// Appends to `head` the request line and fields for the upstream, each ending in CRLF, without
// the blank line: the client's fields minus hop-by-hop ones, anything in the claims namespace,
// gateway-owned ones and any name with '_'; then the client's cookies without varco's, Host,
// X-Forwarded-*, X-Request-Id and the claims block.
void append_upstream_head(std::string& head, const http::request_header<>& request,
                          const request_fields& fields, const client_info& client,
                          const upstream_head_inputs& in);

}  // namespace varco::gateway
