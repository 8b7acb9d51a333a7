// GET|HEAD /static/bootstrap-italia/<path>  → <portal.static_root>/bootstrap-italia/dist/<path>
// GET|HEAD /static/varco/<path>             → <portal.assets_dir>/<path>
//
// Answers with Content-Type by extension, Cache-Control, a strong ETag (304 on If-None-Match)
// and the security headers. /static/varco/autopost.js and /static/varco/login.css are the login
// flow's compiled-in assets: request_handler gives them to login_endpoints before this.
//
// The file is read with a plain blocking read on the worker thread: the files are small (capped
// at static_file_max_bytes), usually in the page cache, and cached by browsers for a day, so a
// thread pool or sendfile would add more than it saves here.
#pragma once

#include "gateway/exchange.hpp"
#include "gateway/runtime.hpp"

#include <cstddef>
#include <string_view>

namespace varco::gateway {

class request_handler;

inline constexpr std::size_t static_file_max_bytes = 8 * 1024 * 1024;

// Whether `path` (normalised) is under /static/.
bool is_static_path(std::string_view path) noexcept;

// Answers one request for a static file; refusals come from `errors` (the HTML/JSON error pages).
handler_result serve_static_file(const http::request_header<>& request, const runtime& current,
                                 handler_result result, const request_handler& errors);

}  // namespace varco::gateway
