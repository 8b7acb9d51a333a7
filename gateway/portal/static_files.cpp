#include "gateway/portal/static_files.hpp"

#include "gateway/http/security_headers.hpp"
#include "gateway/pages/page_answers.hpp"
#include "gateway/portal/static_assets.hpp"

#include <functional>
#include <string>

namespace varco::gateway {
namespace {

constexpr std::string_view bootstrap_mount = "/static/bootstrap-italia/";
constexpr std::string_view varco_mount = "/static/varco/";
constexpr std::string_view spid_mount = "/static/spid/";
constexpr std::string_view logos_mount = "/static/logos/";

// Bootstrap Italia changes only when web/package-lock.json does (a deploy), varco's own files
// with varco: a day and an hour, then a cheap 304 thanks to the ETag.
constexpr const char* bootstrap_cache = "public, max-age=86400";
constexpr const char* varco_cache = "public, max-age=3600";

handler_result refuse(handler_result result, unsigned status, std::string_view reason,
                      const runtime& current) {
  return error_page(current, std::move(result), status, reason);
}

handler_result answer(const http::request_header<>& request, const runtime& current,
                      handler_result result, static_file file, const char* cache_control) {
  const bool head = request.method() == http::verb::head;
  const bool fresh = if_none_match_hits(request[http::field::if_none_match], file.etag);
  http::response<http::string_body> response{fresh ? http::status::not_modified : http::status::ok,
                                             11};
  response.set(http::field::etag, file.etag);
  response.set(http::field::cache_control, cache_control);
  response.set("X-Request-Id", result.notes.request_id);
  add_security_headers(response, result.notes.tls, current.config->server.plain_http);
  if (file.varies_by_encoding) response.set(http::field::vary, "Accept-Encoding");
  if (!fresh) {
    response.set(http::field::content_type, file.content_type);
    if (!file.content_encoding.empty())
      response.set(http::field::content_encoding, file.content_encoding);
    response.body() = std::move(file.body);
  }
  response.prepare_payload();
  // HEAD: the same head (Content-Length of the file), no body.
  if (head) response.body().clear();
  result.response = std::move(response);
  return result;
}

bool get_or_head(const http::request_header<>& request) {
  return request.method() == http::verb::get || request.method() == http::verb::head;
}

handler_result method_not_allowed(handler_result result, const runtime& current) {
  auto refused = refuse(std::move(result), 405, "method_not_allowed", current);
  refused.response->set(http::field::allow, "GET, HEAD");
  return refused;
}

// Reads `relative` under `root` (with the precompressed form the client accepts) and answers.
handler_result answer_file(const http::request_header<>& request, const runtime& current,
                           handler_result result, const std::filesystem::path& root,
                           std::string_view relative, const char* cache_control) {
  auto read = read_static_file(root, relative, static_file_max_bytes,
                               parse_accept_encoding(request[http::field::accept_encoding]));
  if (!read) {
    const auto code = read.error();
    const auto e = code.category() == static_category() ? static_cast<static_errc>(code.value())
                                                        : static_errc::unreadable;
    const unsigned status = e == static_errc::bad_path     ? 400
                            : e == static_errc::unreadable ? 500
                                                           : 404;
    return refuse(std::move(result), status, reason_code(e), current);
  }
  return answer(request, current, std::move(result), std::move(*read), cache_control);
}

}  // namespace

bool is_static_path(std::string_view path) noexcept { return path.starts_with("/static/"); }

std::string theme_stylesheet(const conf::config& config) {
  std::string css = "/* Generated from the configuration: each product's logo colour. */\n";
  for (const auto& product : config.products) {
    if (product.logo_bg_color.empty()) continue;
    // Ids are identifiers and colours #rrggbb (conf checks both): nothing here needs escaping.
    css +=
        "[data-logo-bg=\"" + product.id + "\"]{background-color:" + product.logo_bg_color + "}\n";
  }
  return css;
}

handler_result serve_favicon(const http::request_header<>& request, const runtime& current,
                             handler_result result) {
  if (!get_or_head(request)) return method_not_allowed(std::move(result), current);
  const auto& portal = current.config->portal;
  if (!portal.enabled) return refuse(std::move(result), 404, "portal_not_configured", current);
  return answer_file(request, current, std::move(result), portal.assets_dir, favicon_path.substr(1),
                     varco_cache);
}

handler_result serve_static_file(const http::request_header<>& request, const runtime& current,
                                 handler_result result) {
  if (!get_or_head(request)) return method_not_allowed(std::move(result), current);
  const auto& portal = current.config->portal;
  const std::string_view path = result.notes.path;
  static_file file;
  const char* cache_control = varco_cache;
  if (path == theme_stylesheet_path) {
    // Built from the configuration (its products' logo colours), so a reload changes it.
    static_file file;
    file.body = theme_stylesheet(*current.config);
    file.content_type = content_type_for(path);
    file.etag = "\"theme-" + std::to_string(std::hash<std::string>{}(file.body)) + "\"";
    return answer(request, current, std::move(result), std::move(file), varco_cache);
  }
  std::filesystem::path root;
  std::string_view relative;
  if (path.starts_with(spid_mount)) {
    // AgID's SPID button graphics (npm spid-smart-button): the "Entra con SPID" icon and the
    // official IdPs' logos.
    root = std::filesystem::path(portal.static_root) / "spid-smart-button" / "dist" / "img";
    relative = path.substr(spid_mount.size());
    cache_control = bootstrap_cache;
  } else if (path.starts_with(bootstrap_mount)) {
    root = std::filesystem::path(portal.static_root) / "bootstrap-italia" / "dist";
    relative = path.substr(bootstrap_mount.size());
    cache_control = bootstrap_cache;
  } else if (path.starts_with(varco_mount)) {
    root = portal.assets_dir;
    relative = path.substr(varco_mount.size());
    cache_control = varco_cache;
  } else if (path.starts_with(logos_mount) && !portal.logos_dir.empty()) {
    // The deployment's logos: they change with the directory, not with a deploy.
    root = portal.logos_dir;
    relative = path.substr(logos_mount.size());
    cache_control = varco_cache;
  } else {
    return refuse(std::move(result), 404, "not_found", current);
  }
  if (!portal.enabled) return refuse(std::move(result), 404, "portal_not_configured", current);
  return answer_file(request, current, std::move(result), root, relative, cache_control);
}

}  // namespace varco::gateway
