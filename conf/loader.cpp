// load_config(): read the file, parse the YAML, read every section, collect every error.
#include "conf/loader.hpp"

#include "conf/files.hpp"
#include "conf/sections.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace varco::conf {

std::string config_error::to_string() const {
  return file + ":" + std::to_string(line) + ": " + message;
}

namespace detail {

bool read_file_setting(load_context& ctx, map_reader& map, std::string_view key, std::string& out,
                       bool required, file_check check) {
  located at = map.at(key);
  std::string text;
  if (!at.present()) {
    if (required) ctx.diag.add(at.line, at.path, "is required");
    return false;
  }
  if (!read_string(ctx.diag, at, text)) return false;
  if (text.empty()) {
    if (required) ctx.diag.add(at.line, at.path, "must not be empty");
    return false;
  }
  std::string resolved = resolve_path(ctx.base_dir, text);
  auto problem = check != nullptr ? check(resolved) : readable_file_problem(resolved);
  if (problem) {
    ctx.diag.add(at.line, at.path, *problem);
    return false;
  }
  out = std::move(resolved);
  return true;
}

namespace {

void read_config(load_context& ctx, const YAML::Node& root, config& out) {
  located root_at{root, "", 1};
  map_reader top(ctx.diag, root_at,
                 {"server", "sessions", "jwt", "claims", "directory", "saml", "oidc", "portal",
                  "support", "rate_limits", "products", "logging"});
  read_server(ctx, top.at("server"), out.server);
  read_sessions(ctx, top.at("sessions"), out.sessions);
  out.sessions.plain_http = out.server.plain_http;
  read_jwt(ctx, top.at("jwt"), out.jwt);
  if (out.jwt.issuer.empty()) out.jwt.issuer = out.server.public_base_url;

  located claims_at = top.at("claims");
  claims_origins origins;
  fill_default_claims(out.claims, origins, claims_at.path, claims_at.line);
  read_claims(ctx, claims_at, out.claims, origins);
  check_claims(ctx, out.claims, origins);

  read_directory(ctx, top.at("directory"), out.sessions, out.directory);
  read_saml(ctx, top.at("saml"), out.server, out.saml);
  read_oidc(ctx, top.at("oidc"), out.server, out.oidc);
  read_portal(ctx, top.at("portal"), out.portal);
  read_support(ctx, top.at("support"), out.support);
  read_rate_limits(ctx, top.at("rate_limits"), out.rate_limits);
  read_products(ctx, top.at("products"), out.claims, origins, out.products);
  read_logging(ctx, top.at("logging"), out.logging);
}

}  // namespace
}  // namespace detail

load_outcome load_config(const std::string& path) {
  auto fail = [&](int line, std::string message) {
    return load_outcome{nullptr, {config_error{path, line, std::move(message)}}};
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(0, std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return fail(0, std::string("cannot read: ") + std::strerror(errno));

  try {
    YAML::Node root;
    try {
      root = YAML::Load(content.str());
    } catch (const YAML::Exception& e) {
      return fail(std::max(0, e.mark.line + 1), "YAML syntax error: " + e.msg);
    }
    auto result = std::make_shared<config>();
    result->source_file = path;
    detail::diagnostics diag(path);
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    detail::load_context ctx{diag, absolute.parent_path()};
    detail::read_config(ctx, root, *result);
    if (!diag.empty()) {
      auto errors = diag.take();
      std::stable_sort(
          errors.begin(), errors.end(),
          [](const config_error& a, const config_error& b) { return a.line < b.line; });
      return load_outcome{nullptr, std::move(errors)};
    }
    return load_outcome{std::move(result), {}};
  } catch (const std::exception& e) {
    // A yaml-cpp corner case we did not guard must not take the process down on SIGHUP.
    return fail(0, std::string("internal error while reading the config: ") + e.what());
  }
}

}  // namespace varco::conf
