// server: listeners, public URL, trusted proxies, limits and timeouts.
#include "conf/files.hpp"
#include "conf/sections.hpp"
#include "conf/syntax.hpp"

#include <boost/asio/ip/address.hpp>

#include <set>
#include <utility>

namespace varco::conf::detail {
namespace {

listener read_listener(load_context& ctx, const located& at) {
  listener out;
  map_reader map(ctx.diag, at, {"address", "port", "tls"});
  if (!at.present()) ctx.diag.add(at.line, at.path, "expected a mapping, got nothing");
  located address = map.at("address");
  std::string text;
  if (map.string("address", text)) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(text, ec);
    if (ec) {
      ctx.diag.add(address.line, address.path, in_quotes(text) + " is not an IP address");
    } else {
      out.address = text;
    }
  }
  map.integer("port", out.port, 0, 65535);
  located tls_at = map.at("tls");
  map_reader tls(ctx.diag, tls_at, {"certificate", "key"});
  if (tls_at.present()) {
    tls_files files;
    bool ok = read_file_setting(ctx, tls, "certificate", files.certificate_file, true);
    ok = read_file_setting(ctx, tls, "key", files.key_file, true) && ok;
    if (ok) out.tls = std::move(files);
  }
  return out;
}

void read_listeners(load_context& ctx, map_reader& map, server& out) {
  located at = map.at("listeners");
  if (!at.present()) return;
  auto items = map.items("listeners");
  if (!at.node.IsSequence()) return;
  if (items.empty()) {
    ctx.diag.add(at.line, at.path, "must name at least one listener");
    return;
  }
  std::vector<listener> listeners;
  std::set<std::pair<std::string, std::uint16_t>> seen;
  for (const auto& item : items) {
    listener l = read_listener(ctx, item);
    if (l.port != 0 && !seen.emplace(l.address, l.port).second) {
      ctx.diag.add(item.line, item.path,
                   l.address + ":" + std::to_string(l.port) + " is already a listener");
    }
    listeners.push_back(std::move(l));
  }
  out.listeners = std::move(listeners);
}

void read_trusted_proxies(load_context& ctx, map_reader& map, server& out) {
  for (const auto& item : map.items("trusted_proxies")) {
    std::string text;
    if (!read_string(ctx.diag, item, text)) continue;
    if (auto net = parse_cidr(text)) {
      out.trusted_proxies.push_back(*net);
    } else {
      ctx.diag.add(
          item.line, item.path,
          in_quotes(text) +
              " is not a CIDR with no host bits set (e.g. 10.0.0.0/8, fd00::/8, 192.0.2.7)");
    }
  }
}

void read_limits(load_context& ctx, const located& at, limits& out) {
  map_reader map(
      ctx.diag, at,
      {"header_bytes", "body_bytes", "pipelined_requests", "max_connections", "crypto_queue"});
  map.bytes("header_bytes", out.header_bytes, 1024);
  map.bytes("body_bytes", out.body_bytes, 0);
  map.integer("pipelined_requests", out.pipelined_requests, 1, 1024);
  map.integer("max_connections", out.max_connections, 1, 10'000'000);
  map.integer("crypto_queue", out.crypto_queue, 1, 1'000'000);
}

void read_timeouts(load_context& ctx, const located& at, server_timeouts& out) {
  map_reader map(ctx.diag, at, {"header_read", "body_read", "idle_keep_alive", "drain"});
  map.positive_duration("header_read", out.header_read);
  map.positive_duration("body_read", out.body_read);
  map.positive_duration("idle_keep_alive", out.idle_keep_alive);
  map.positive_duration("drain", out.drain);
}

std::string default_base_url(const server& s) {
  const listener& first = s.listeners.front();
  std::string host = first.address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return (first.tls ? "https://" : "http://") + host + ":" + std::to_string(first.port);
}

}  // namespace

void read_server(load_context& ctx, const located& at, server& out) {
  map_reader map(ctx.diag, at,
                 {"listeners", "workers", "crypto_threads", "public_base_url", "plain_http",
                  "trusted_proxies", "limits", "timeouts"});
  read_listeners(ctx, map, out);
  map.integer("workers", out.workers, 0, 1024);
  map.integer("crypto_threads", out.crypto_threads, 0, 1024);
  located base_url = map.at("public_base_url");
  std::string text;
  if (map.string("public_base_url", text)) {
    if (is_base_url(text)) {
      out.public_base_url = text;
    } else {
      ctx.diag.add(base_url.line, base_url.path,
                   in_quotes(text) +
                       " is not an absolute http:// or https:// URL without a trailing slash, "
                       "query or fragment");
    }
  }
  if (out.public_base_url.empty()) out.public_base_url = default_base_url(out);
  map.boolean("plain_http", out.plain_http);
  read_trusted_proxies(ctx, map, out);
  read_limits(ctx, map.at("limits"), out.limits);
  read_timeouts(ctx, map.at("timeouts"), out.timeouts);
}

}  // namespace varco::conf::detail
