// One environment of a product: upstreams or redirect target, pinned route, timeouts, TLS.
#include "conf/files.hpp"
#include "conf/redirect_template.hpp"
#include "conf/sections.hpp"
#include "conf/syntax.hpp"

#include <string>
#include <utility>

namespace varco::conf::detail {
namespace {

void read_upstreams(load_context& ctx, map_reader& map, environment& out) {
  for (const auto& item : map.items("upstreams")) {
    std::string text;
    if (!read_string(ctx.diag, item, text)) continue;
    if (auto url = parse_upstream_url(text)) {
      out.upstreams.push_back(std::move(*url));
    } else {
      ctx.diag.add(item.line, item.path, in_quotes(text) + " is not an http:// or https:// URL");
    }
  }
}

void read_upstream_tls(load_context& ctx, const located& at, upstream_tls& out) {
  map_reader map(ctx.diag, at, {"verify", "ca_file", "server_name"});
  map.boolean("verify", out.verify);
  read_file_setting(ctx, map, "ca_file", out.ca_file, false);
  located name = map.at("server_name");
  if (map.string("server_name", out.server_name) && !out.server_name.empty()) {
    if (auto problem = host_problem(out.server_name)) {
      ctx.diag.add(name.line, name.path, in_quotes(out.server_name) + " " + *problem);
    }
  }
}

void read_mode(load_context& ctx, map_reader& map, environment& out) {
  located mode = map.at("mode");
  std::string text;
  if (!map.string("mode", text)) return;
  if (text == "proxied") {
    out.mode = environment_mode::proxied;
  } else if (text == "redirect") {
    out.mode = environment_mode::redirect;
  } else {
    ctx.diag.add(mode.line, mode.path, in_quotes(text) + " is not a mode (proxied or redirect)");
  }
}

void check_target(load_context& ctx, map_reader& map, environment& out) {
  located upstreams = map.at("upstreams");
  located redirect = map.at("redirect_url");
  located token_ttl = map.at("token_ttl");
  if (out.mode == environment_mode::proxied) {
    if (redirect.present()) {
      ctx.diag.add(redirect.line, redirect.path, "is used only with mode: redirect");
    }
    if (token_ttl.present()) {
      ctx.diag.add(token_ttl.line, token_ttl.path, "is used only with mode: redirect");
    }
    // A present but broken list has been reported item by item already.
    if (!upstreams.present() || (upstreams.node.IsSequence() && upstreams.node.size() == 0)) {
      ctx.diag.add(upstreams.line, upstreams.path,
                   "a proxied environment needs at least one upstream URL");
    }
    return;
  }
  if (upstreams.present()) {
    ctx.diag.add(upstreams.line, upstreams.path, "is not used with mode: redirect");
  }
  if (map.positive_duration("token_ttl", out.token_ttl) &&
      out.token_ttl > std::chrono::seconds(max_redirect_token_ttl_seconds)) {
    ctx.diag.add(token_ttl.line, token_ttl.path,
                 "must be at most " + std::to_string(max_redirect_token_ttl_seconds) +
                     "s (the token only has to reach the portal's page)");
  }
  if (!map.required_string("redirect_url", out.redirect_url)) return;
  if (auto problem = redirect_template_problem(out.redirect_url)) {
    ctx.diag.add(redirect.line, redirect.path, in_quotes(out.redirect_url) + " " + *problem);
  }
}

}  // namespace

environment read_environment(load_context& ctx, const located& at, const std::string& product_id) {
  environment out;
  map_reader map(ctx.diag, at,
                 {"id", "label", "label_en", "mode", "upstreams", "redirect_url", "token_ttl",
                  "host", "path_prefix", "audience", "connect_timeout", "response_timeout", "tls",
                  "pool_size", "party_roles"});
  if (!at.present()) {
    ctx.diag.add(at.line, at.path, "expected a mapping, got nothing");
    return out;
  }
  located id = map.at("id");
  if (map.required_string("id", out.id) && !is_identifier(out.id)) {
    ctx.diag.add(id.line, id.path,
                 in_quotes(out.id) + " may contain only letters, digits, '.', '_' and '-'");
  }
  if (!map.string("label", out.label) || out.label.empty()) out.label = out.id;
  map.string("label_en", out.label_en);
  read_mode(ctx, map, out);
  read_upstreams(ctx, map, out);
  check_target(ctx, map, out);
  read_route(ctx, map, out.host, out.path_prefix);
  located audience = map.at("audience");
  if (map.string("audience", out.audience) && out.audience.empty()) {
    ctx.diag.add(audience.line, audience.path, "must not be empty (leave it out for the default)");
  }
  // A redirect environment's portal is the product's own back-office: it expects the product as
  // the audience, as Self Care's identity token has it.
  if (out.audience.empty()) {
    out.audience = out.mode == environment_mode::redirect ? product_id : product_id + ":" + out.id;
  }
  map.positive_duration("connect_timeout", out.connect_timeout);
  map.positive_duration("response_timeout", out.response_timeout);
  read_upstream_tls(ctx, map.at("tls"), out.tls);
  map.integer("pool_size", out.pool_size, 1, 100'000);
  read_party_roles(ctx, map, "party_roles", out.party_roles);
  return out;
}

}  // namespace varco::conf::detail
