// gzip for the pages varco renders itself (HTML of a few to a few tens of KiB): Lighthouse's
// "enable text compression" on slow mobile links, and what nginx's gzip on text/html does.
// Static files come precompressed (portal/static_assets.hpp); proxied responses are never touched.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace varco::gateway {

// Replaces the body of an HTML `response` of at least 1 KiB with its gzip form (level 6) and sets
// Content-Encoding, Vary and Content-Length. A response that is not HTML, is small or already has
// a Content-Encoding is left as it is; so is one zlib cannot compress (the page goes out plain).
void gzip_page(boost::beast::http::response<boost::beast::http::string_body>& response);

}  // namespace varco::gateway
