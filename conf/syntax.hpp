// Checks and parsers for the structured strings of the config (URLs, CIDRs, header names, path
// prefixes, host names). Pure functions: the loader uses them, and so may the gateway or tests.
#pragma once

#include "conf/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace varco::conf {

// "10.0.0.0/8", "fd00::/8"; a bare address is its own /32 or /128. Host bits set beyond the
// prefix are refused (a likely typo) — nullopt then, as for anything unparsable.
std::optional<cidr> parse_cidr(std::string_view text);

// http(s)://host[:port][/base/path]; no user info, query or fragment; port defaults to 80/443;
// a trailing slash on the path is dropped. nullopt when not such a URL.
std::optional<upstream_url> parse_upstream_url(std::string_view text);

// An absolute http(s) URL with a host, no query or fragment and no trailing slash (the form of
// server.public_base_url).
bool is_base_url(std::string_view text);

// RFC 9110 token (the grammar of a header field name).
bool is_http_token(std::string_view text);

// Header names a gateway must never set from configuration: hop-by-hop fields and those that
// frame or route the message (Host, Cookie, Content-Length, Transfer-Encoding). Case-insensitive.
bool is_reserved_header(std::string_view name);

// Whether `header` falls in `header_namespace` comparing as the gateway strips: any case, '_'
// and '-' equivalent.
bool in_header_namespace(std::string_view header, std::string_view header_namespace);

// What is wrong with a path prefix ("/x/y": leading '/', no trailing '/', no "//", no "." or ".."
// segments, no '?', '#', '%', spaces or controls); nullopt when fine.
std::optional<std::string> path_prefix_problem(std::string_view prefix);

// What is wrong with a route host name (lower-case letters, digits, '-' and '.', no port);
// nullopt when fine. The caller lower-cases first.
std::optional<std::string> host_problem(std::string_view host);

}  // namespace varco::conf
