// The readers of each top-level section of the config, shared by loader.cpp and the per-section
// files. Internal to the loader: each reads what is present over the defaults already in `out`
// and reports every problem to ctx.diag.
#pragma once

#include "conf/config.hpp"
#include "conf/yaml_reader.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace varco::conf::detail {

struct load_context {
  diagnostics& diag;
  std::filesystem::path base_dir;  // where relative file names start
};

using file_check = std::optional<std::string> (*)(const std::string& path);

// A file-name setting: resolved against ctx.base_dir into `out`, then `check`ed (readability by
// default). `required` reports an absent or empty value.
bool read_file_setting(load_context& ctx, map_reader& map, std::string_view key, std::string& out,
                       bool required, file_check check = nullptr);

void read_server(load_context& ctx, const located& at, server& out);
void read_sessions(load_context& ctx, const located& at, sessions& out);
void read_jwt(load_context& ctx, const located& at, jwt& out);
void read_directory(load_context& ctx, const located& at, const sessions& sessions,
                    directory_source& out);
void read_logging(load_context& ctx, const located& at, logging& out);
void read_saml(load_context& ctx, const located& at, const server& srv, saml& out);
void read_oidc(load_context& ctx, const located& at, const server& srv, oidc& out);
// What the login protocols' sections share (saml_section.cpp): the `audit` mapping (directory,
// retention_months) and the `return_paths` list of local path prefixes.
void read_audit_log(load_context& ctx, const located& at, std::string& directory,
                    int& retention_months);
void read_return_paths(load_context& ctx, map_reader& map, std::vector<std::string>& out);
void read_portal(load_context& ctx, const located& at, portal& out);
void read_support(load_context& ctx, const located& at, support& out);
void read_rate_limits(load_context& ctx, const located& at, rate_limits& out);

// Where a claims value was written, so cross-field problems point at the right line and a
// product's override does not repeat errors already reported for the global section.
struct value_origin {
  std::string path;
  int line = 0;
  bool local = false;    // belongs to the section being checked
  bool written = false;  // spelled out in the file (not a default)
};
struct claims_origins {
  value_origin header_namespace;
  std::map<claim, value_origin> headers;
  value_origin token_header;

  claims_origins inherited() const;  // the same origins, none of them local
};

std::string_view claim_key(claim c);  // "user_fiscal_number", …
void fill_default_claims(claims& out, claims_origins& origins, const std::string& path, int line);
// Reads a `claims:` mapping over `inout` (product overrides merge into the global values).
void read_claims(load_context& ctx, const located& at, claims& inout, claims_origins& origins);
// Namespace membership and duplicate header names, for problems that involve a local value.
void check_claims(load_context& ctx, const claims& c, const claims_origins& origins);

void read_products(load_context& ctx, const located& at, const claims& global_claims,
                   const claims_origins& global_origins, std::vector<product>& out);

// Shared by products and environments.
bool is_identifier(std::string_view id);    // letters, digits, '.', '_', '-'
bool is_hex_color(std::string_view color);  // "#rrggbb"
void read_party_roles(load_context& ctx, map_reader& map, std::string_view key,
                      std::vector<std::string>& out);
// host and path_prefix of a product or pinned environment; false when either is invalid.
bool read_route(load_context& ctx, map_reader& map, std::string& host, std::string& path_prefix);
environment read_environment(load_context& ctx, const located& at, const std::string& product_id);

}  // namespace varco::conf::detail
