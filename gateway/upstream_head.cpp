#include "gateway/upstream_head.hpp"

#include "gateway/http/field_name_set.hpp"
#include "gateway/http/forwarded.hpp"
#include "gateway/http/wire_format.hpp"
#include "policies/claim_headers.hpp"

#include <array>
#include <string_view>

namespace varco::gateway {
namespace {

// Headers the gateway always sets itself; a client copy (in any spelling) never goes upstream.
constexpr field_name_set gateway_owned{std::array<std::string_view, 10>{
    "host", "cookie", "expect", "forwarded", "x-forwarded-for", "x-forwarded-proto",
    "x-forwarded-host", "x-forwarded-port", "x-real-ip", "x-request-id"}};

std::string upstream_host_header(const conf::upstream_url& url) {
  const bool default_port = url.port == (url.https ? 443 : 80);
  return default_port ? url.host : url.host + ":" + std::to_string(url.port);
}

std::string upstream_target(const conf::upstream_url& url, const conf::product& product,
                            const route_match& route, std::string_view normalized_path,
                            std::string_view query, bool has_query) {
  std::string target = url.base_path;
  const bool strip = product.strip_path_prefix && !route.prefix.empty();
  const std::string_view path = strip ? std::string_view(route.path_in_product) : normalized_path;
  if (!target.empty() && path == "/" && strip)
    target += "/";
  else
    target += path;
  if (has_query) {
    target += '?';
    target += query;
  }
  return target;
}

}  // namespace

void append_upstream_head(std::string& head, const http::request_header<>& request,
                          const request_fields& fields, const client_info& client,
                          const upstream_head_inputs& in) {
  head.append(request.method_string());
  head.push_back(' ');
  head.append(upstream_target(in.upstream, in.product, in.route, in.normalized_path, in.parts.query,
                              in.parts.has_query));
  head.append(" HTTP/1.1\r\n");
  const conf::claims& claims = in.product.claims;
  const connection_scope scope(fields.connection, fields.proxy_connection);
  // A chunked body is re-framed by the proxy; a Content-Length beside it must not travel (the
  // two together are the classic request-smuggling shape).
  const bool chunked = !fields.transfer_encoding.empty();
  // The client's own cookies travel, in its order, as one field (RFC 9113 8.2.3's joining, for
  // clients behind HTTP/2 front ends that split them); varco's cookies never do.
  std::string product_cookies;
  for (const auto& field : request) {
    if (field.name() == http::field::cookie) {
      in.own_cookies.append_product_cookies(field.value(), product_cookies);
      continue;
    }
    const auto name = field.name_string();
    // Underscore spellings are dropped outright (as nginx does): CGI-style upstreams fold
    // "X_Varco_User" and "X-Varco-User" into one variable.
    if (name.find('_') != std::string_view::npos) continue;
    if (policies::in_claims_namespace(name, claims) || gateway_owned.contains(name)) continue;
    if (scope.excludes(name)) continue;
    if (chunked && field.name() == http::field::content_length) continue;
    append_field(head, name, field.value());
  }
  if (!product_cookies.empty()) append_field(head, "Cookie", product_cookies);
  if (in.websocket) {
    append_field(head, "Connection", "Upgrade");
    append_field(head, "Upgrade", fields.upgrade);
  }
  append_field(head, "Host", upstream_host_header(in.upstream));
  const forwarded_in incoming{fields.x_forwarded_for, fields.x_forwarded_proto,
                              fields.x_forwarded_host, client.peer_text};
  const auto forwarded = compute_forwarded(client.peer, in.trusted_proxies, incoming,
                                           client.tls ? "https" : "http", fields.host);
  append_field(head, "X-Forwarded-For", forwarded.x_forwarded_for);
  append_field(head, "X-Forwarded-Proto", forwarded.x_forwarded_proto);
  if (!forwarded.x_forwarded_host.empty())
    append_field(head, "X-Forwarded-Host", forwarded.x_forwarded_host);
  append_field(head, "X-Request-Id", in.request_id);
  head.append(in.claims_block);
}

}  // namespace varco::gateway
