#include "gateway/portal/static_files.hpp"

#include "gateway/http/error_page.hpp"
#include "gateway/portal/security_headers.hpp"
#include "gateway/portal/static_assets.hpp"
#include "gateway/request_handler.hpp"

#include <functional>
#include <string>

namespace varco::gateway {
namespace {

constexpr std::string_view bootstrap_mount = "/static/bootstrap-italia/";
constexpr std::string_view varco_mount = "/static/varco/";

// Bootstrap Italia changes only when web/package-lock.json does (a deploy), varco's own files
// with varco: a day and an hour, then a cheap 304 thanks to the ETag.
constexpr const char* bootstrap_cache = "public, max-age=86400";
constexpr const char* varco_cache = "public, max-age=3600";

handler_result refuse(handler_result result, unsigned status, std::string_view reason,
                      const request_handler& errors) {
  result.notes.reason = reason;
  result.response = errors.error_response(status, reason, result.notes, result.notes.json,
                                          result.notes.request_id);
  return result;
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

}  // namespace

bool is_static_path(std::string_view path) noexcept { return path.starts_with("/static/"); }

handler_result serve_static_file(const http::request_header<>& request, const runtime& current,
                                 handler_result result, const request_handler& errors) {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto refused = refuse(std::move(result), 405, "method_not_allowed", errors);
    refused.response->set(http::field::allow, "GET, HEAD");
    return refused;
  }
  const auto& portal = current.config->portal;
  const std::string_view path = result.notes.path;
  static_file file;
  const char* cache_control = varco_cache;
  if (path == error_stylesheet_path) {
    // The error pages' style is compiled in, so error pages look right with or without a portal.
    file.body = std::string(error_stylesheet);
    file.content_type = content_type_for(path);
    file.etag =
        "\"error-css-" + std::to_string(std::hash<std::string_view>{}(error_stylesheet)) + "\"";
    return answer(request, current, std::move(result), std::move(file), cache_control);
  }
  std::filesystem::path root;
  std::string_view relative;
  if (path.starts_with(bootstrap_mount)) {
    root = std::filesystem::path(portal.static_root) / "bootstrap-italia" / "dist";
    relative = path.substr(bootstrap_mount.size());
    cache_control = bootstrap_cache;
  } else if (path.starts_with(varco_mount)) {
    root = portal.assets_dir;
    relative = path.substr(varco_mount.size());
    cache_control = varco_cache;
  } else {
    return refuse(std::move(result), 404, "not_found", errors);
  }
  if (!portal.enabled) return refuse(std::move(result), 404, "portal_not_configured", errors);

  auto read = read_static_file(root, relative, static_file_max_bytes,
                               parse_accept_encoding(request[http::field::accept_encoding]));
  if (!read) {
    const auto code = read.error();
    const auto e = code.category() == static_category() ? static_cast<static_errc>(code.value())
                                                        : static_errc::unreadable;
    const unsigned status = e == static_errc::bad_path     ? 400
                            : e == static_errc::unreadable ? 500
                                                           : 404;
    return refuse(std::move(result), status, reason_code(e), errors);
  }

  return answer(request, current, std::move(result), std::move(*read), cache_control);
}

}  // namespace varco::gateway
