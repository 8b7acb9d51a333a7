// products: identity, route, roles, path rules, claims overrides, and the routes table check.
#include "conf/sections.hpp"
#include "conf/syntax.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <tuple>
#include <utility>

namespace varco::conf::detail {
namespace {

// One (host, path_prefix) pair claimed by a product or a pinned environment.
struct route_use {
  std::string host;
  std::string path_prefix;
  std::string owner;  // path of the product or environment, for messages
};

std::string describe(const route_use& r) {
  return "route (host " + in_quotes(r.host) + ", path_prefix " + in_quotes(r.path_prefix) + ")";
}

void claim_route(load_context& ctx, std::vector<route_use>& routes, route_use use, int line) {
  auto same = std::find_if(routes.begin(), routes.end(), [&](const route_use& r) {
    return r.host == use.host && r.path_prefix == use.path_prefix;
  });
  if (same != routes.end()) {
    ctx.diag.add(line, use.owner, describe(use) + " is already used by " + same->owner);
    return;
  }
  routes.push_back(std::move(use));
}

std::vector<path_rule> read_path_rules(load_context& ctx, map_reader& map) {
  std::vector<path_rule> rules;
  for (const auto& item : map.items("path_rules")) {
    map_reader rule_map(ctx.diag, item, {"prefix", "product_roles"});
    path_rule rule;
    located prefix = rule_map.at("prefix");
    if (rule_map.required_string("prefix", rule.prefix)) {
      if (auto problem = path_prefix_problem(rule.prefix)) {
        ctx.diag.add(prefix.line, prefix.path, in_quotes(rule.prefix) + " " + *problem);
      }
    }
    located roles = rule_map.at("product_roles");
    if (!roles.present()) {
      ctx.diag.add(roles.line, roles.path, "is required");
    } else if (rule_map.string_list("product_roles", rule.product_roles)) {
      if (rule.product_roles.empty()) ctx.diag.add(roles.line, roles.path, "must name a role");
      if (std::find(rule.product_roles.begin(), rule.product_roles.end(), "") !=
          rule.product_roles.end()) {
        ctx.diag.add(roles.line, roles.path, "must not contain empty role names");
      }
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

void read_environments(load_context& ctx, map_reader& map, product& out,
                       std::vector<route_use>& routes) {
  located at = map.at("environments");
  if (!at.present()) {
    ctx.diag.add(at.line, at.path, "is required (at least one environment)");
    return;
  }
  auto items = map.items("environments");
  if (!at.node.IsSequence()) return;
  if (items.empty()) ctx.diag.add(at.line, at.path, "must list at least one environment");
  std::set<std::string> ids;
  for (const auto& item : items) {
    environment env = read_environment(ctx, item, out.id);
    if (!env.id.empty() && !ids.insert(env.id).second) {
      ctx.diag.add(item.line, join_path(item.path, "id"),
                   in_quotes(env.id) + " is already an environment of this product");
    }
    if (!env.host.empty() || !env.path_prefix.empty()) {
      claim_route(ctx, routes, route_use{env.host, env.path_prefix, item.path}, item.line);
    }
    out.environments.push_back(std::move(env));
  }
}

product read_product(load_context& ctx, const located& at, const claims& global_claims,
                     const claims_origins& global_origins, std::vector<route_use>& routes) {
  product out;
  map_reader map(ctx.diag, at,
                 {"id", "title", "title_en", "description", "description_en", "logo",
                  "logo_bg_color", "host", "path_prefix", "strip_path_prefix",
                  "required_party_roles", "path_rules", "claims", "environments"});
  if (!at.present()) ctx.diag.add(at.line, at.path, "expected a mapping, got nothing");
  located id = map.at("id");
  if (map.required_string("id", out.id) && !is_identifier(out.id)) {
    ctx.diag.add(id.line, id.path,
                 in_quotes(out.id) + " may contain only letters, digits, '.', '_' and '-'");
  }
  map.required_string("title", out.title);
  map.string("title_en", out.title_en);
  map.string("description", out.description);
  map.string("description_en", out.description_en);
  map.string("logo", out.logo);
  located color = map.at("logo_bg_color");
  if (map.string("logo_bg_color", out.logo_bg_color) && !is_hex_color(out.logo_bg_color)) {
    ctx.diag.add(color.line, color.path,
                 in_quotes(out.logo_bg_color) + " is not a colour like \"#0066cc\"");
  }
  bool route_ok = read_route(ctx, map, out.host, out.path_prefix);
  if (route_ok && out.host.empty() && out.path_prefix.empty()) {
    ctx.diag.add(at.line, at.path, "needs a host and/or a path_prefix to route to it");
  } else if (route_ok) {
    claim_route(ctx, routes, route_use{out.host, out.path_prefix, at.path}, at.line);
  }
  located strip = map.at("strip_path_prefix");
  if (map.boolean("strip_path_prefix", out.strip_path_prefix) && out.strip_path_prefix &&
      route_ok && out.path_prefix.empty()) {
    ctx.diag.add(strip.line, strip.path, "needs a path_prefix to strip");
  }
  read_party_roles(ctx, map, "required_party_roles", out.required_party_roles);
  out.path_rules = read_path_rules(ctx, map);

  out.claims = global_claims;
  located claims_at = map.at("claims");
  if (claims_at.present()) {
    claims_origins origins = global_origins.inherited();
    read_claims(ctx, claims_at, out.claims, origins);
    check_claims(ctx, out.claims, origins);
  } else {
    map_reader empty(ctx.diag, claims_at, {});  // reports a non-mapping value
  }
  read_environments(ctx, map, out, routes);
  return out;
}

}  // namespace

bool is_hex_color(std::string_view color) {
  if (color.size() != 7 || color.front() != '#') return false;
  for (const char c : color.substr(1))
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_identifier(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

void read_party_roles(load_context& ctx, map_reader& map, std::string_view key,
                      std::vector<std::string>& out) {
  static constexpr std::array<std::string_view, 5> roles{"MANAGER", "DELEGATE", "SUB_DELEGATE",
                                                         "OPERATOR", "ADMIN_EA"};
  std::vector<std::string> values;
  located at = map.at(key);
  for (const auto& item : map.items(key)) {
    std::string role;
    if (!read_string(ctx.diag, item, role)) continue;
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
      ctx.diag.add(
          item.line, item.path,
          in_quotes(role) +
              " is not a party role (MANAGER, DELEGATE, SUB_DELEGATE, OPERATOR, ADMIN_EA)");
    } else if (std::find(values.begin(), values.end(), role) == values.end()) {
      values.push_back(std::move(role));
    }
  }
  if (at.present()) out = std::move(values);
}

bool read_route(load_context& ctx, map_reader& map, std::string& host, std::string& path_prefix) {
  bool ok = true;
  located host_at = map.at("host");
  std::string text;
  if (map.string("host", text)) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    if (auto problem = host_problem(text)) {
      ctx.diag.add(host_at.line, host_at.path, in_quotes(text) + " " + *problem);
      ok = false;
    } else {
      host = text;
    }
  }
  located prefix_at = map.at("path_prefix");
  if (map.string("path_prefix", text)) {
    if (auto problem = path_prefix_problem(text)) {
      ctx.diag.add(prefix_at.line, prefix_at.path, in_quotes(text) + " " + *problem);
      ok = false;
    } else {
      path_prefix = text;
    }
  }
  return ok;
}

void read_products(load_context& ctx, const located& at, const claims& global_claims,
                   const claims_origins& global_origins, std::vector<product>& out) {
  std::vector<route_use> routes;
  std::set<std::string> ids;
  for (const auto& item : sequence_items(ctx.diag, at)) {
    product p = read_product(ctx, item, global_claims, global_origins, routes);
    if (!p.id.empty() && !ids.insert(p.id).second) {
      ctx.diag.add(item.line, join_path(item.path, "id"),
                   in_quotes(p.id) + " is already a product id");
    }
    out.push_back(std::move(p));
  }
}

}  // namespace varco::conf::detail
