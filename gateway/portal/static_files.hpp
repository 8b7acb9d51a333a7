// GET|HEAD /static/bootstrap-italia/<path>  → <portal.static_root>/bootstrap-italia/dist/<path>
// GET|HEAD /static/varco/<path>             → <portal.assets_dir>/<path>
// GET|HEAD /static/spid/<path>              → <static_root>/spid-smart-button/dist/img/<path>
// GET|HEAD /static/logos/<path>             → <portal.logos_dir>/<path> (when set)
// GET|HEAD /static/varco/theme.css          → built from the configuration (theme_stylesheet)
//
// Answers with Content-Type by extension, Cache-Control, a strong ETag (304 on If-None-Match)
// and the security headers. /static/varco/autopost.js is the login flow's compiled-in script:
// The reserved-route table (gateway/routing/reserved_routes.hpp) gives it to the login endpoints.
//
// The file is read with a plain blocking read on the worker thread: the files are small (capped
// at static_file_max_bytes), usually in the page cache, and cached by browsers for a day, so a
// thread pool or sendfile would add more than it saves here.
#pragma once

#include "gateway/endpoint/exchange.hpp"
#include "gateway/endpoint/runtime.hpp"

#include <cstddef>
#include <string_view>

namespace varco::gateway {

inline constexpr std::size_t static_file_max_bytes = 8 * 1024 * 1024;

// Whether `path` (normalised) is under /static/.
bool is_static_path(std::string_view path) noexcept;

// GET /static/varco/theme.css: what the configuration adds to the pages' style (the background
// colour of each product's logo, products[].logo_bg_color), so no page needs an inline style.
inline constexpr std::string_view theme_stylesheet_path = "/static/varco/theme.css";
std::string theme_stylesheet(const conf::config& config);

// Answers one request for a static file; refusals are the error pages (HTML or JSON).
handler_result serve_static_file(const http::request_header<>& request, const runtime& current,
                                 handler_result result);

// GET|HEAD /favicon.ico when no product route claims it: <portal.assets_dir>/favicon.ico, so a
// browser asking for the site's icon on a varco page gets varco's, not a 404.
inline constexpr std::string_view favicon_path = "/favicon.ico";
handler_result serve_favicon(const http::request_header<>& request, const runtime& current,
                             handler_result result);

}  // namespace varco::gateway
